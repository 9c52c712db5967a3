package io.fjord.client.consumer.internals;

import io.fjord.api.Header;
import io.fjord.api.Headers;
import io.fjord.api.TimestampType;
import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.ConsumerRecord;
import io.fjord.api.serialization.Deserializer;
import io.fjord.client.consumer.RecordDeserializationException;
import io.fjord.client.errors.ClientException;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.record.CodecRegistry;
import io.fjord.protocol.record.RecordBatchIterator;
import io.fjord.protocol.record.RecordBatchView;
import io.fjord.protocol.record.RecordCursor;
import io.fjord.protocol.record.RecordHeaderView;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The records one fetch returned for one partition, turned into {@link ConsumerRecord}s as the
 * application asks for them. Batches are walked in place over the response's bytes: an
 * uncompressed batch's keys and values are slices of them, a compressed batch is inflated once,
 * when the walk reaches it. Each batch's CRC is checked (with {@code check.crcs}) before any of
 * its records is returned.
 *
 * <p>Invariant: {@link #nextFetchOffset} is the offset after the last record returned or skipped;
 * the consumer's position follows it. A record that fails to deserialize is not passed: the
 * failure is thrown again until the position moves.
 */
final class CompletedFetch<K, V> {

    private static final int MAX_DECOMPRESSED_BYTES = 512 * 1024 * 1024;

    final TopicPartition partition;
    final long fetchOffset;
    private final RecordBatchIterator batches;
    private final CodecRegistry codecs;
    private final boolean checkCrcs;
    private final boolean readCommitted;
    private final Set<Long> abortedProducers;
    private final Deserializer<K> keyDeserializer;
    private final Deserializer<V> valueDeserializer;

    private final ByteBuffer records;
    private long endOffset = -1;
    private RecordBatchView batch;
    private RecordCursor cursor;
    private boolean pendingRecord;
    private long nextFetchOffset;
    private Optional<Integer> lastEpoch = Optional.empty();
    private RuntimeException failure;
    private boolean drained;
    private int recordsRead;
    private long bytesRead;

    CompletedFetch(TopicPartition partition, long fetchOffset, ByteBuffer records, CodecRegistry codecs,
                   boolean checkCrcs, boolean readCommitted, List<Long> abortedProducerIds,
                   Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        this.partition = partition;
        this.fetchOffset = fetchOffset;
        this.nextFetchOffset = fetchOffset;
        this.records = records;
        this.batches = new RecordBatchIterator(records);
        this.codecs = codecs;
        this.checkCrcs = checkCrcs;
        this.readCommitted = readCommitted;
        this.abortedProducers = abortedProducerIds.isEmpty() ? Set.of() : new HashSet<>(abortedProducerIds);
        this.keyDeserializer = keyDeserializer;
        this.valueDeserializer = valueDeserializer;
        this.bytesRead = records.remaining();
    }

    /**
     * The offset after the last complete batch of the fetch, from the batch headers alone: where
     * the next fetch of the partition starts while these records are still being returned.
     */
    long endOffset() {
        if (endOffset < 0) {
            long end = fetchOffset;
            try {
                RecordBatchIterator walk = new RecordBatchIterator(records);
                while (walk.hasNext()) {
                    end = Math.max(end, walk.next().nextOffset());
                }
            } catch (io.fjord.protocol.errors.ProtocolException e) {
                // The walk over the records reports the corruption; nothing is fetched beyond it.
            }
            endOffset = end;
        }
        return endOffset;
    }

    long nextFetchOffset() {
        return nextFetchOffset;
    }

    Optional<Integer> lastEpoch() {
        return lastEpoch;
    }

    boolean isDrained() {
        return drained;
    }

    int recordsRead() {
        return recordsRead;
    }

    long bytes() {
        return bytesRead;
    }

    void drain() {
        drained = true;
    }

    /**
     * Appends up to {@code max} records to {@code out}.
     *
     * @throws RecordDeserializationException if the next record's key or value does not deserialize
     * @throws ClientException {@link Errors#CORRUPT_MESSAGE} for a batch whose CRC or structure is bad
     */
    int fetchRecords(int max, List<ConsumerRecord<K, V>> out) {
        if (failure != null) {
            throw failure;
        }
        int added = 0;
        try {
            while (added < max && !drained) {
                if (!pendingRecord && !advanceRecord()) {
                    drained = true;
                    break;
                }
                pendingRecord = true;
                if (cursor.offset() < nextFetchOffset) {
                    pendingRecord = false;
                    continue;
                }
                out.add(toRecord());
                pendingRecord = false;
                nextFetchOffset = cursor.offset() + 1;
                added++;
            }
        } catch (RecordDeserializationException e) {
            failure = e;
            recordsRead += added;
            if (added > 0) {
                return added; // hand over what came before it; the failure comes on the next call
            }
            throw e;
        } catch (io.fjord.protocol.errors.ProtocolException e) {
            failure = new ClientException(Errors.CORRUPT_MESSAGE, "Received a corrupt batch from " + partition
                    + " at offset " + nextFetchOffset + ": " + e.getMessage(), e);
            if (added > 0) {
                recordsRead += added;
                return added;
            }
            throw failure;
        }
        recordsRead += added;
        return added;
    }

    /** Moves the cursor to the next record, over batch boundaries; false when the fetch is used up. */
    private boolean advanceRecord() {
        while (true) {
            if (cursor != null && cursor.next()) {
                return true;
            }
            cursor = null;
            if (batch != null) {
                nextFetchOffset = Math.max(nextFetchOffset, batch.nextOffset());
                batch = null;
            }
            if (!batches.hasNext()) {
                return false;
            }
            RecordBatchView next = batches.next();
            if (next.nextOffset() <= nextFetchOffset) {
                continue;
            }
            if (checkCrcs) {
                next.ensureValid();
            }
            batch = next;
            if (next.partitionLeaderEpoch() >= 0) {
                lastEpoch = Optional.of(next.partitionLeaderEpoch());
            }
            if (next.isControlBatch() || (readCommitted && next.isTransactional()
                    && abortedProducers.contains(next.producerId()))) {
                continue; // skipped whole; the position moves past it when the loop comes round
            }
            cursor = next.records(codecs, MAX_DECOMPRESSED_BYTES);
        }
    }

    private ConsumerRecord<K, V> toRecord() {
        long offset = cursor.offset();
        Headers headers = headers();
        ByteBuffer keyBytes = cursor.key();
        ByteBuffer valueBytes = cursor.value();
        K key;
        V value;
        try {
            key = keyDeserializer.deserialize(partition.topic(), headers, keyBytes);
        } catch (RuntimeException e) {
            throw new RecordDeserializationException(partition, offset, "Error deserializing the key of the record at offset "
                    + offset + " of " + partition + " with " + keyDeserializer.name() + ": " + e.getMessage(), e);
        }
        try {
            value = valueDeserializer.deserialize(partition.topic(), headers, valueBytes);
        } catch (RuntimeException e) {
            throw new RecordDeserializationException(partition, offset, "Error deserializing the value of the record at offset "
                    + offset + " of " + partition + " with " + valueDeserializer.name() + ": " + e.getMessage(), e);
        }
        TimestampType type = batch.timestampType();
        Optional<Integer> epoch = batch.partitionLeaderEpoch() >= 0 ? Optional.of(batch.partitionLeaderEpoch()) : Optional.empty();
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, cursor.timestamp(), type,
                cursor.keySize(), cursor.valueSize(), key, value, headers, epoch);
    }

    private Headers headers() {
        Headers headers = new Headers();
        if (cursor.headerCount() > 0) {
            for (RecordHeaderView h : cursor.headers()) {
                headers.add(new Header(h.keyString(), h.valueBytes()));
            }
        }
        headers.setReadOnly();
        return headers;
    }
}
