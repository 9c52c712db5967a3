package io.fjord.clustertests;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The clients of a fault test: one idempotent producer (acks=all) sending unique values round the
 * partitions at a steady pace, and one consumer per name reading every partition from the start
 * without a group, all recording into one {@link History}. Sends are bounded (at most
 * {@code MAX_IN_FLIGHT} unanswered) so a long outage does not pile up records.
 *
 * <p>Lifecycle: {@link #start}, then the faults, then {@link #stopProducing} (which waits for every
 * send to be answered), then {@link #stopConsuming} once the consumers caught up.
 */
final class Workload implements AutoCloseable {

    private static final int MAX_IN_FLIGHT = 200;

    private final String topic;
    private final int partitions;
    private final Supplier<String> bootstrap;
    private final History history = new History();
    private final AtomicBoolean producing = new AtomicBoolean(true);
    private final AtomicBoolean consuming = new AtomicBoolean(true);
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final List<Thread> threads = new ArrayList<>();
    private volatile Exception clientFailure;
    private final Map<String, String> consumerStates = new ConcurrentHashMap<>();

    Workload(String topic, int partitions, Supplier<String> bootstrap) {
        this.topic = topic;
        this.partitions = partitions;
        this.bootstrap = bootstrap;
    }

    History history() {
        return history;
    }

    /** Starts the producer and {@code consumers} consumers. */
    Workload start(int consumers) {
        threads.add(thread("producer", this::produce));
        for (int c = 1; c <= consumers; c++) {
            String name = "consumer-" + c;
            threads.add(thread(name, () -> consume(name)));
        }
        return this;
    }

    private Thread thread(String name, ThrowingRunnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Exception e) {
                clientFailure = e;
            }
        }, "workload-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    static Properties producerConfig(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put("metadata.max.age.ms", "2000");
        return p;
    }

    private void produce() throws InterruptedException {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(bootstrap.get()))) {
            long n = 0;
            while (producing.get()) {
                if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                int partition = (int) (n % partitions);
                String value = "v" + n++;
                history.sent(value);
                producer.send(new ProducerRecord<>(topic, partition, null, value), (m, e) -> {
                    if (e == null) {
                        history.acked(m.partition(), m.offset(), value);
                    } else {
                        history.failed(partition, value, e);
                    }
                    inFlight.release();
                });
                Thread.sleep(2);
            }
            producer.flush();
        }
    }

    private void consume(String name) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap.get());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put("metadata.max.age.ms", "2000");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> all = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                all.add(new TopicPartition(topic, i));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            long nextSnapshot = 0;
            while (consuming.get()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    history.read(name, r.partition(), r.offset(), r.value());
                }
                if (System.currentTimeMillis() >= nextSnapshot) {
                    consumerStates.put(name, positions(consumer, all));
                    nextSnapshot = System.currentTimeMillis() + 1_000;
                }
            }
        }
    }

    /** Where a consumer stands on each partition, for a failure message; never blocks. */
    private static String positions(KafkaConsumer<String, String> consumer, List<TopicPartition> all) {
        StringBuilder text = new StringBuilder();
        for (TopicPartition tp : all) {
            String position;
            try {
                position = Long.toString(consumer.position(tp, Duration.ZERO));
            } catch (TimeoutException e) {
                position = "none (resetting or validating)";
            }
            OptionalLong lag = consumer.currentLag(tp);
            text.append(tp.partition()).append(": position ").append(position).append(", lag ")
                    .append(lag.isPresent() ? Long.toString(lag.getAsLong()) : "unknown").append("; ");
        }
        return text.append("at ").append(Instant.now()).toString();
    }

    /** Each consumer's positions and lags, taken about once a second by the consumer itself. */
    Map<String, String> consumerStates() {
        return new TreeMap<>(consumerStates);
    }

    /** Stops sending and waits until every send was acknowledged or failed. */
    void stopProducing() throws InterruptedException {
        producing.set(false);
        threads.get(0).join(TimeUnit.SECONDS.toMillis(60));
        if (threads.get(0).isAlive()) {
            throw new IllegalStateException("the producer did not close within 60 s");
        }
    }

    /** Stops the consumers (call once they have read what they should). */
    void stopConsuming() throws InterruptedException {
        consuming.set(false);
        for (Thread t : threads.subList(1, threads.size())) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    /** A client that died of an exception (not a failed send, which is recorded): the test is void. */
    Exception clientFailure() {
        return clientFailure;
    }

    @Override
    public void close() throws InterruptedException {
        producing.set(false);
        consuming.set(false);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
    }
}
