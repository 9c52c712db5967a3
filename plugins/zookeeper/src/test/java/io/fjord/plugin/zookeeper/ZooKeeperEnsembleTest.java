package io.fjord.plugin.zookeeper;

import io.fjord.controller.coordination.ClusterPaths;
import io.fjord.controller.coordination.CoordinationException;
import io.fjord.controller.coordination.CoordinationServer;
import io.fjord.controller.coordination.CoordinationSession;
import io.fjord.controller.coordination.Op;
import io.fjord.plugin.zookeeper.testing.ZooKeeperFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Three {@code zookeeper} servers from zoo.cfg files with {@code server.N} lines form an ensemble
 * on 127.0.0.1, which keeps serving writes when one member stops.
 */
class ZooKeeperEnsembleTest {

    @TempDir
    Path dir;

    /** Quorum and election ports cannot be chosen by the server: these were free a moment ago. */
    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        int[] ports = new int[count];
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
        return ports;
    }

    private static String clusterId(CoordinationSession s) {
        return new String(s.read(ClusterPaths.CLUSTER_ID).orElseThrow().data(), StandardCharsets.UTF_8);
    }

    @Test
    void threeMembersFormAnEnsembleThatSurvivesOneStopping() throws Exception {
        int[] ports = freePorts(9);
        StringJoiner servers = new StringJoiner("\n");
        StringJoiner connect = new StringJoiner(",");
        for (int id = 1; id <= 3; id++) {
            servers.add("server." + id + "=127.0.0.1:" + ports[3 + id - 1] + ":" + ports[6 + id - 1]);
            connect.add("127.0.0.1:" + ports[id - 1]);
        }
        List<CoordinationServer.Running> members = new ArrayList<>();
        try {
            for (int id = 1; id <= 3; id++) {
                Path data = Files.createDirectories(dir.resolve("data-" + id));
                Files.writeString(data.resolve("myid"), Integer.toString(id));
                Path cfg = Files.writeString(dir.resolve("zoo-" + id + ".cfg"), String.join("\n",
                        "tickTime=500", "initLimit=20", "syncLimit=10",
                        "dataDir=" + data,
                        "clientPort=" + ports[id - 1],
                        "clientPortAddress=127.0.0.1",
                        servers.toString(), ""));
                members.add(new ZooKeeperCoordinationServer().start(cfg));
            }
            ZooKeeperEngine engine = new ZooKeeperEngine();
            engine.configure(Map.of("connect", connect.toString(), "session.timeout.ms", "10000",
                    "connection.timeout.ms", "60000"));
            try (CoordinationSession s = engine.open(ZooKeeperFixture.ignoringListener())) {
                s.write(List.of(new Op.Create(ClusterPaths.CLUSTER_ID, "one".getBytes(StandardCharsets.UTF_8))));
                members.remove(0).close();
                // The session may have been on the stopped member: a write that fails UNAVAILABLE
                // may or may not have happened, so the caller reads before it tries again.
                Sessions.await(() -> {
                    try {
                        if (!"two".equals(clusterId(s))) {
                            s.write(List.of(new Op.SetData(ClusterPaths.CLUSTER_ID, "two".getBytes(StandardCharsets.UTF_8), 0)));
                        }
                        return true;
                    } catch (CoordinationException e) {
                        assertEquals(CoordinationException.Reason.UNAVAILABLE, e.reason(), e.getMessage());
                        return false;
                    }
                }, "two members took the write");
                assertEquals("two", clusterId(s));
            }
        } finally {
            members.forEach(CoordinationServer.Running::close);
        }
    }
}
