package io.fjord.log;

import io.fjord.api.TopicPartition;
import io.fjord.common.testing.ManualScheduler;
import io.fjord.common.testing.MockTime;
import io.fjord.protocol.record.RecordBatchView;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;

/**
 * The child process of {@link TruncationCrashTest}: a replica that never stops appending (as
 * leader and as follower), truncating and emptying its log, until it is killed. Batches are
 * idempotent batches of producer 1 whose base sequence is their base offset, written in ever
 * higher leader epochs, so the parent can check any log it leaves behind. Prints {@code READY}
 * once open and {@code ROUND n} after each round.
 */
public final class TruncatingReplicaMain {

    private TruncatingReplicaMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        MockTime time = new MockTime(Batches.BASE_TIME);
        TopicPartition tp = LogTestSupport.TP;
        PartitionLog log = PartitionLog.open(dir.resolve(PartitionLog.dirName(tp)), tp,
                LogTestSupport.smallSegments(2048, 256), 0L, 0L, false, time, new ManualScheduler(time));
        int epoch = log.latestEpoch() + 1;
        System.out.println("READY " + log.logEndOffset());
        for (long round = 0; ; round++) {
            boolean leader = random.nextBoolean();
            if (leader) {
                log.assignEpochStartOffset(epoch, log.logEndOffset());
            }
            for (int b = random.nextInt(12); b > 0; b--) {
                long base = log.logEndOffset();
                ByteBuffer batch = Batches.idempotent(1L, (short) 0, (int) base, 1 + random.nextInt(4),
                        Batches.BASE_TIME + base);
                if (leader) {
                    log.append(batch, epoch);
                } else {
                    batch.putLong(RecordBatchView.BASE_OFFSET_OFFSET, base);
                    batch.putInt(RecordBatchView.PARTITION_LEADER_EPOCH_OFFSET, epoch);
                    log.appendAsFollower(batch.asReadOnlyBuffer());
                }
            }
            if (round % 9 == 8) {
                log.truncateFullyAndStartAt(log.logEndOffset() + random.nextInt(5));
            } else {
                log.truncateTo(Math.max(0, log.logEndOffset() - random.nextInt(16)));
            }
            epoch++;
            System.out.println("ROUND " + round);
        }
    }
}
