// The client side of scale.sh, compiled against Kafka's client jars and run in one JVM per step:
//   create BOOTSTRAP TOPICS PARTITIONS      the topics s-0 .. s-(TOPICS-1), PARTITIONS each, RF 1;
//                                           prints the ms from the first request to a Metadata
//                                           that shows them all with leaders
//   await BOOTSTRAP TOPICS PARTITIONS       retries until a Metadata of all topics shows every
//                                           partition with a leader; prints the epoch ms then
//   idle BOOTSTRAP N                        N sockets, each after ApiVersions and Metadata; prints
//                                           "ready" and holds them until killed
//   produce BOOTSTRAP TOPICS RECORDS SIZE RECORDS_PER_S
//                                           null-key records over all topics in turn, paced;
//                                           prints "MB/s p99_ms"
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

public class ScaleClient {
    // Topics per CreateTopics request: 10,000 partitions go in a few requests, not one per topic.
    private static final int CREATE_BATCH = 50;
    // Partitions per request at most: Kafka's controller refuses an operation of more than 10,000
    // records, so a larger topic is created smaller and grown with CreatePartitions.
    private static final int PARTITIONS_PER_REQUEST = 5_000;

    public static void main(String[] args) throws Exception {
        String bootstrap = args[1];
        switch (args[0]) {
            case "create" -> create(bootstrap, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "await" -> System.out.println(await(bootstrap, Integer.parseInt(args[2]), Integer.parseInt(args[3])));
            case "idle" -> idle(bootstrap, Integer.parseInt(args[2]));
            case "produce" -> produce(bootstrap, Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static List<String> names(int topics) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < topics; i++) names.add("s-" + i);
        return names;
    }

    private static void create(String bootstrap, int topics, int partitions) throws Exception {
        long start = System.currentTimeMillis();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap, "default.api.timeout.ms", 600_000,
                "request.timeout.ms", 300_000))) {
            List<String> names = names(topics);
            int first = Math.min(partitions, PARTITIONS_PER_REQUEST);
            int perRequest = Math.max(1, Math.min(CREATE_BATCH, PARTITIONS_PER_REQUEST / first));
            for (int from = 0; from < topics; from += perRequest) {
                List<NewTopic> batch = new ArrayList<>();
                for (String name : names.subList(from, Math.min(topics, from + perRequest))) {
                    batch.add(new NewTopic(name, first, (short) 1));
                }
                try {
                    admin.createTopics(batch).all().get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) throw e;
                }
            }
            for (int count = first, next; count < partitions; count = next) {
                next = Math.min(partitions, count + PARTITIONS_PER_REQUEST);
                for (String name : names) {
                    admin.createPartitions(Map.of(name, NewPartitions.increaseTo(next))).all().get();
                }
            }
        }
        System.out.println(await(bootstrap, topics, partitions) - start);
    }

    private static long await(String bootstrap, int topics, int partitions) throws Exception {
        List<String> names = names(topics);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap, "default.api.timeout.ms", 5_000,
                "request.timeout.ms", 2_000, "retry.backoff.ms", 50, "reconnect.backoff.ms", 50,
                "reconnect.backoff.max.ms", 100))) {
            while (System.nanoTime() < deadline) {
                try {
                    Map<String, TopicDescription> found = admin.describeTopics(names).allTopicNames().get();
                    if (complete(found, topics, partitions)) return System.currentTimeMillis();
                } catch (Exception retry) {
                    // not up yet, or the topics not loaded yet
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("the topics' metadata was not complete within 10 minutes");
    }

    private static boolean complete(Map<String, TopicDescription> found, int topics, int partitions) {
        if (found.size() != topics) return false;
        for (TopicDescription topic : found.values()) {
            if (topic.partitions().size() != partitions) return false;
            if (topic.partitions().stream().anyMatch(p -> p.leader() == null || p.leader().isEmpty())) return false;
        }
        return true;
    }

    // Raw sockets rather than N clients: a connection then costs the broker what an idle client's
    // costs it, and the load generator stays one small JVM.
    private static void idle(String bootstrap, int count) throws Exception {
        String[] hostPort = bootstrap.split(":");
        InetSocketAddress address = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket();
            socket.connect(address, 10_000);
            socket.setSoTimeout(60_000);
            String clientId = "idle-" + i;
            short apiVersions = ApiKeys.API_VERSIONS.latestVersion();
            exchange(socket, new ApiVersionsRequest.Builder().build(apiVersions)
                    .serializeWithHeader(new RequestHeader(ApiKeys.API_VERSIONS, apiVersions, clientId, 1)));
            short metadata = 12;
            exchange(socket, new MetadataRequest.Builder(List.of(), false).build(metadata)
                    .serializeWithHeader(new RequestHeader(ApiKeys.METADATA, metadata, clientId, 2)));
            sockets.add(socket);
        }
        System.out.println("ready " + sockets.size());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void exchange(Socket socket, ByteBuffer request) throws Exception {
        OutputStream out = socket.getOutputStream();
        byte[] body = Arrays.copyOfRange(request.array(), request.arrayOffset() + request.position(),
                request.arrayOffset() + request.limit());
        out.write(ByteBuffer.allocate(4).putInt(body.length).array());
        out.write(body);
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int size = in.readInt();
        in.readFully(new byte[size]);
    }

    private static void produce(String bootstrap, int topics, int records, int size, int perSecond) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("acks", "all");
        List<String> names = names(topics);
        byte[] value = new byte[size];
        Arrays.fill(value, (byte) 'x');
        long[] latencies = new long[records];
        AtomicInteger failed = new AtomicInteger();
        long start;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            // The topics' metadata first, so the paced part measures produce alone.
            for (String name : names) producer.partitionsFor(name);
            start = System.nanoTime();
            for (int i = 0; i < records; i++) {
                long due = start + (long) i * 1_000_000_000L / perSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
                int index = i;
                long sent = System.nanoTime();
                producer.send(new ProducerRecord<>(names.get(i % topics), value), (meta, error) -> {
                    if (error != null) failed.incrementAndGet();
                    latencies[index] = System.nanoTime() - sent;
                });
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        System.out.printf("%.2f %d %d%n", (double) records * size / 1_048_576 / seconds,
                latencies[(int) Math.ceil(records * 0.99) - 1] / 1_000_000, failed.get());
    }
}
