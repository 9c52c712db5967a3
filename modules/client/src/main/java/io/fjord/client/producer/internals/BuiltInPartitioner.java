package io.fjord.client.producer.internals;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The partition of a record that names none, as Kafka's producer picks it: murmur2 of the key
 * bytes modulo the partition count for a keyed record (so a key lands where Kafka's producer puts
 * it), and for a record without key a sticky partition that changes once {@code batch.size} bytes
 * went to it, to one of the partitions with a leader, chosen at random and weighted towards those
 * with the shortest queues.
 *
 * <p>Thread-safe: the sticky choice per topic is a small immutable state swapped as a whole; a lost
 * race only means two records pick at once, both valid.
 */
public final class BuiltInPartitioner {

    private static final int SEED = 0x9747b28c;

    private BuiltInPartitioner() {
    }

    /** The partition Kafka's default partitioner gives a key. */
    public static int partitionForKey(byte[] keyBytes, int partitionCount) {
        return (murmur2(keyBytes) & 0x7fffffff) % partitionCount;
    }

    /** MurmurHash2, 32 bits, with Kafka's seed. */
    public static int murmur2(byte[] data) {
        final int m = 0x5bd1e995;
        final int r = 24;
        int length = data.length;
        int h = SEED ^ length;
        int blocks = length / 4;
        for (int i = 0; i < blocks; i++) {
            int offset = i * 4;
            int k = (data[offset] & 0xff) | ((data[offset + 1] & 0xff) << 8)
                    | ((data[offset + 2] & 0xff) << 16) | ((data[offset + 3] & 0xff) << 24);
            k *= m;
            k ^= k >>> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        int tail = blocks * 4;
        switch (length - tail) {
            case 3:
                h ^= (data[tail + 2] & 0xff) << 16;
                // fall through
            case 2:
                h ^= (data[tail + 1] & 0xff) << 8;
                // fall through
            case 1:
                h ^= data[tail] & 0xff;
                h *= m;
                break;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= m;
        h ^= h >>> 15;
        return h;
    }

    /** The sticky choice of one topic: the partition, and the bytes sent to it since it was chosen. */
    public static final class StickyState {
        private volatile int partition = -1;
        private volatile int producedBytes;

        /** The partition for a record of {@code recordBytes} without key. */
        public int next(ProducerMetadata.TopicInfo topic, RecordAccumulator accumulator, int batchSize, int recordBytes) {
            int current = partition;
            int[] available = topic.available.length > 0 ? topic.available : topic.all;
            if (current < 0 || producedBytes >= batchSize || current >= topic.partitionCount()
                    || topic.leaders[current] < 0 && topic.available.length > 0) {
                current = choose(available, topic, accumulator, current);
                partition = current;
                producedBytes = 0;
            }
            producedBytes += recordBytes;
            return current;
        }

        private static int choose(int[] available, ProducerMetadata.TopicInfo topic, RecordAccumulator accumulator,
                                  int previous) {
            if (available.length == 1) {
                return available[0];
            }
            // Weights 1 / (1 + queue length): an idle partition is chosen more often than a backed-up one,
            // and never the one just filled.
            double total = 0;
            double[] weights = new double[available.length];
            for (int i = 0; i < available.length; i++) {
                weights[i] = available[i] == previous ? 0 : 1.0 / (1 + accumulator.queueLength(topic.partitions[available[i]]));
                total += weights[i];
            }
            double pick = ThreadLocalRandom.current().nextDouble() * total;
            for (int i = 0; i < available.length; i++) {
                int p = available[i];
                pick -= weights[i];
                if (pick <= 0) {
                    return p;
                }
            }
            return available[available.length - 1];
        }
    }
}
