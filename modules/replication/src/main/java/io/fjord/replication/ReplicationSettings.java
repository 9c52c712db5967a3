package io.fjord.replication;

import java.util.Map;

/**
 * The broker's replication settings, by Kafka's names and defaults.
 *
 * @param replicaLagTimeMaxMs {@code replica.lag.time.max.ms}: a follower not caught up for this
 *     long leaves the ISR
 * @param numReplicaFetchers {@code num.replica.fetchers}: fetcher threads per source broker
 * @param fetchMaxBytes {@code replica.fetch.max.bytes}: bytes per partition per fetch
 * @param fetchResponseMaxBytes {@code replica.fetch.response.max.bytes}: bytes per fetch
 * @param fetchWaitMaxMs {@code replica.fetch.wait.max.ms}: how long the leader may hold a fetch
 * @param fetchMinBytes {@code replica.fetch.min.bytes}: what the leader waits for
 * @param fetchBackoffMs {@code replica.fetch.backoff.ms}: the pause after a failed fetch
 * @param socketTimeoutMs {@code replica.socket.timeout.ms}: a fetch's request time-out
 */
public record ReplicationSettings(long replicaLagTimeMaxMs, int numReplicaFetchers, int fetchMaxBytes,
                                  int fetchResponseMaxBytes, int fetchWaitMaxMs, int fetchMinBytes,
                                  long fetchBackoffMs, int socketTimeoutMs) {

    public ReplicationSettings {
        if (fetchWaitMaxMs >= socketTimeoutMs) {
            throw new IllegalArgumentException("replica.fetch.wait.max.ms (" + fetchWaitMaxMs
                    + ") must be below replica.socket.timeout.ms (" + socketTimeoutMs + ")");
        }
        if (numReplicaFetchers < 1 || replicaLagTimeMaxMs < 1 || fetchMaxBytes < 1 || fetchResponseMaxBytes < 1) {
            throw new IllegalArgumentException("replication settings must be positive");
        }
    }

    public static ReplicationSettings defaults() {
        return new ReplicationSettings(30_000L, 1, 1_048_576, 10_485_760, 500, 1, 1_000L, 30_000);
    }

    /** The settings in {@code props}, Kafka's defaults for the rest. */
    public static ReplicationSettings from(Map<String, String> props) {
        ReplicationSettings d = defaults();
        return new ReplicationSettings(
                Long.parseLong(props.getOrDefault("replica.lag.time.max.ms", String.valueOf(d.replicaLagTimeMaxMs()))),
                Integer.parseInt(props.getOrDefault("num.replica.fetchers", String.valueOf(d.numReplicaFetchers()))),
                Integer.parseInt(props.getOrDefault("replica.fetch.max.bytes", String.valueOf(d.fetchMaxBytes()))),
                Integer.parseInt(props.getOrDefault("replica.fetch.response.max.bytes",
                        String.valueOf(d.fetchResponseMaxBytes()))),
                Integer.parseInt(props.getOrDefault("replica.fetch.wait.max.ms", String.valueOf(d.fetchWaitMaxMs()))),
                Integer.parseInt(props.getOrDefault("replica.fetch.min.bytes", String.valueOf(d.fetchMinBytes()))),
                Long.parseLong(props.getOrDefault("replica.fetch.backoff.ms", String.valueOf(d.fetchBackoffMs()))),
                Integer.parseInt(props.getOrDefault("replica.socket.timeout.ms", String.valueOf(d.socketTimeoutMs()))));
    }
}
