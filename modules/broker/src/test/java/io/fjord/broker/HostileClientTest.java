package io.fjord.broker;

import io.fjord.broker.testing.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Clients that misbehave on purpose: garbage bytes, a frame that claims 2 GiB, a thousand idle
 * connections, a client that sends and never reads. Through each, the broker stays up, its heap
 * stays bounded, and a Kafka producer and consumer on their own connections are served.
 */
class HostileClientTest {

    private static final String TOPIC = "served";
    /** Generous: the broker may buffer a little for a hostile client, never what it claims or sends in bulk. */
    private static final long HEAP_GROWTH_LIMIT = 96L << 20;

    @TempDir
    Path dir;

    private BrokerFixture fixture;
    private KafkaProducer<byte[], byte[]> producer;
    private KafkaConsumer<byte[], byte[]> consumer;
    private long served;

    @BeforeEach
    void start() throws Exception {
        fixture = BrokerFixture.start(dir);
        try (Admin admin = fixture.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
        }
        producer = fixture.producer(Map.of());
        consumer = fixture.consumer(Map.of());
        consumer.assign(List.of(new TopicPartition(TOPIC, 0)));
        assertServed();
    }

    @AfterEach
    void stop() throws Exception {
        if (consumer != null) {
            consumer.close();
        }
        if (producer != null) {
            producer.close();
        }
        fixture.close();
    }

    /** One record through the producer's connection and back through the consumer's, at the next offset. */
    private void assertServed() throws Exception {
        String value = "served-" + served;
        RecordMetadata metadata = producer.send(new ProducerRecord<>(TOPIC, 0, null, value.getBytes(StandardCharsets.UTF_8)))
                .get(60, TimeUnit.SECONDS);
        assertEquals(served, metadata.offset());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                assertEquals(served, r.offset());
                assertEquals(value, new String(r.value(), StandardCharsets.UTF_8));
                served++;
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("the consumer did not get offset " + served + " in 60 s");
            }
        }
    }

    private static long usedHeapAfterGc() {
        System.gc();
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", fixture.broker().boundPort()), 30_000);
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** An ApiVersions v0 request: size, api key 18, version 0, correlation id, client id, empty body. */
    private static byte[] apiVersionsRequest(int correlationId) {
        byte[] clientId = "hostile".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer frame = ByteBuffer.allocate(4 + 2 + 2 + 4 + 2 + clientId.length);
        frame.putInt(frame.capacity() - 4).putShort((short) 18).putShort((short) 0).putInt(correlationId)
                .putShort((short) clientId.length).put(clientId);
        return frame.array();
    }

    /**
     * Waits until the broker closes the connection, reading and discarding whatever it still
     * answers; fails if it neither closes nor stops within 30 seconds of silence.
     */
    private static void assertClosedByBroker(Socket socket, String what) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] sink = new byte[8192];
        try {
            while (in.read(sink) >= 0) {
                // Responses to earlier requests may arrive before the close.
            }
        } catch (SocketTimeoutException e) {
            fail("the broker kept the connection open after " + what);
        } catch (IOException e) {
            // A reset is a close too.
        }
    }

    @Test
    void frameClaimingTwoGibibytesIsRefusedWithoutAllocatingIt() throws Exception {
        long before = usedHeapAfterGc();
        for (int claimed : new int[] {Integer.MAX_VALUE, -1, Integer.MIN_VALUE, 200 << 20}) {
            try (Socket socket = connect()) {
                OutputStream out = socket.getOutputStream();
                ByteBuffer head = ByteBuffer.allocate(4 + 12).putInt(claimed).putShort((short) 0).putShort((short) 9).putInt(1);
                out.write(head.array());
                out.flush();
                assertClosedByBroker(socket, "a frame claiming " + claimed + " bytes");
            }
            assertServed();
        }
        long growth = usedHeapAfterGc() - before;
        assertTrue(growth < HEAP_GROWTH_LIMIT, "heap grew by " + growth + " bytes");
    }

    /** A frame of {@code header} then {@code body}, with the size prefix. */
    private static byte[] frame(ByteBuffer headerAndBody) {
        headerAndBody.flip();
        ByteBuffer frame = ByteBuffer.allocate(4 + headerAndBody.remaining());
        frame.putInt(headerAndBody.remaining()).put(headerAndBody);
        return frame.array();
    }

    @Test
    void lengthFieldsClaimingMoreThanTheFrameHoldsAreRefused() throws Exception {
        List<byte[]> frames = List.of(
                // Metadata v1: topics array claiming 2^31-1 entries, none present.
                frame(ByteBuffer.allocate(64).putShort((short) 3).putShort((short) 1).putInt(1).putShort((short) -1)
                        .putInt(Integer.MAX_VALUE)),
                // Produce v3: no transactional id, acks=1, timeout, topic_data claiming 2^31-1 topics.
                frame(ByteBuffer.allocate(64).putShort((short) 0).putShort((short) 3).putInt(2).putShort((short) -1)
                        .putShort((short) -1).putShort((short) 1).putInt(30_000).putInt(Integer.MAX_VALUE)),
                // Produce v3: one topic whose name claims 32767 bytes.
                frame(ByteBuffer.allocate(64).putShort((short) 0).putShort((short) 3).putInt(3).putShort((short) -1)
                        .putShort((short) -1).putShort((short) 1).putInt(30_000).putInt(1).putShort(Short.MAX_VALUE)),
                // Produce v3: a partition whose records claim 2^31-1 bytes.
                frame(ByteBuffer.allocate(64).putShort((short) 0).putShort((short) 3).putInt(4).putShort((short) -1)
                        .putShort((short) -1).putShort((short) 1).putInt(30_000).putInt(1).putShort((short) 1).put((byte) 't')
                        .putInt(1).putInt(0).putInt(Integer.MAX_VALUE)),
                // ApiVersions v3 (flexible): the client software name's length is an over-long varint.
                frame(ByteBuffer.allocate(64).putShort((short) 18).putShort((short) 3).putInt(5).putShort((short) -1)
                        .put((byte) 0).put(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1})));
        long before = usedHeapAfterGc();
        for (byte[] request : frames) {
            try (Socket socket = connect()) {
                socket.getOutputStream().write(request);
                InputStream in = socket.getInputStream();
                try {
                    // An error answer or a close are both fine; silence is not.
                    in.read();
                } catch (SocketTimeoutException e) {
                    fail("no answer and no close for a request with a lying length field");
                } catch (IOException e) {
                    // Reset by the broker: a close.
                }
            }
            assertServed();
        }
        long growth = usedHeapAfterGc() - before;
        assertTrue(growth < HEAP_GROWTH_LIMIT, "heap grew by " + growth + " bytes");
    }

    @Test
    void garbageBytesNeverTakeTheBrokerDown() throws Exception {
        Random random = new Random(0x6A11A6E);
        long before = usedHeapAfterGc();
        for (int round = 0; round < 60; round++) {
            try (Socket socket = connect()) {
                OutputStream out = socket.getOutputStream();
                if (round % 3 == 0) {
                    // Raw noise: the first four bytes become whatever size they say.
                    byte[] noise = new byte[1 + random.nextInt(4096)];
                    random.nextBytes(noise);
                    out.write(noise);
                    out.flush();
                } else {
                    // A well-sized frame with a plausible header and a random body, so the parsers see it.
                    byte[] body = new byte[random.nextInt(512)];
                    random.nextBytes(body);
                    ByteBuffer frame = ByteBuffer.allocate(4 + 8 + body.length);
                    frame.putInt(8 + body.length).putShort((short) random.nextInt(70))
                            .putShort((short) random.nextInt(16)).putInt(round).put(body);
                    out.write(frame.array());
                    out.flush();
                    // Either an answer (an error response) or a closed connection; never a hang.
                    InputStream in = socket.getInputStream();
                    try {
                        // The first byte of an answer, or -1 for a close: both fine; a time-out is not.
                        in.read();
                    } catch (SocketTimeoutException e) {
                        fail("no answer and no close after a random frame in round " + round);
                    } catch (IOException e) {
                        // Reset by the broker: a close.
                    }
                }
            }
            if (round % 10 == 9) {
                assertServed();
            }
        }
        // A well-formed request on a new connection is still answered.
        try (Socket socket = connect()) {
            socket.getOutputStream().write(apiVersionsRequest(42));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int size = in.readInt();
            assertTrue(size > 6 && size < 1 << 16, "response size " + size);
            assertEquals(42, in.readInt());
            assertEquals(0, in.readShort(), "ApiVersions error code");
        }
        long growth = usedHeapAfterGc() - before;
        assertTrue(growth < HEAP_GROWTH_LIMIT, "heap grew by " + growth + " bytes");
    }

    @Test
    void aThousandIdleConnectionsDoNotStarveAClient() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            long before = usedHeapAfterGc();
            for (int i = 0; i < 1000; i++) {
                idle.add(connect());
                if (i % 250 == 249) {
                    assertServed();
                }
            }
            assertServed();
            // The idle ones still work when they finally speak.
            Socket last = idle.get(idle.size() - 1);
            last.getOutputStream().write(apiVersionsRequest(7));
            DataInputStream in = new DataInputStream(last.getInputStream());
            in.readInt();
            assertEquals(7, in.readInt());
            long growth = usedHeapAfterGc() - before;
            assertTrue(growth < HEAP_GROWTH_LIMIT, "heap grew by " + growth + " bytes for 1000 connections");
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
        assertServed();
    }

    @Test
    void aClientThatSendsAndNeverReadsIsHeldBackNotBuffered() throws Exception {
        long before = usedHeapAfterGc();
        // A million requests whose answers would take about 170 MB if the broker kept reading without
        // being able to write: it must stop reading from this client instead.
        int chunks = 1_000;
        int perChunk = 1_000;
        AtomicLong written = new AtomicLong();
        try (Socket greedy = new Socket()) {
            greedy.setReceiveBufferSize(4096);
            greedy.connect(new InetSocketAddress("127.0.0.1", fixture.broker().boundPort()), 30_000);
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = greedy.getOutputStream();
                    for (int c = 0; c < chunks; c++) {
                        ByteBuffer chunk = ByteBuffer.allocate(perChunk * apiVersionsRequest(0).length);
                        for (int i = 0; i < perChunk; i++) {
                            chunk.put(apiVersionsRequest(c * perChunk + i));
                        }
                        out.write(chunk.array());
                        written.addAndGet(perChunk);
                    }
                    out.flush();
                } catch (IOException e) {
                    // Closed by the test at the end (or by the broker): the writer's job is over.
                }
            }, "never-reading-client");
            writer.setDaemon(true);
            writer.start();
            // Served throughout, while the greedy client pushes requests it never reads answers to.
            for (int i = 0; i < 20; i++) {
                assertServed();
            }
            long growth = usedHeapAfterGc() - before;
            assertTrue(growth < HEAP_GROWTH_LIMIT, "heap grew by " + growth + " bytes after "
                    + written.get() + " unread requests");
            // The socket buffers on both sides hold a few MB at most, far less than the 24 MB of
            // requests: a broker that stops reading this client leaves the writer blocked.
            assertTrue(writer.isAlive(), "the broker read all " + written.get()
                    + " requests of a client that never reads its answers: no back-pressure");
            greedy.close();
            writer.join(TimeUnit.SECONDS.toMillis(60));
            assertFalse(writer.isAlive(), "the writer ends once its socket is closed");
        }
        assertServed();
    }
}
