package io.fjord.kafkatesting;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaBrokerTest {

    @TempDir
    Path dir;

    @Test
    void theBrokerStartsAndAnswersApiVersions() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir, Map.of())) {
            try (Socket socket = new Socket("127.0.0.1", broker.port())) {
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                // ApiVersions v0: size, key 18, version 0, correlation id 7, null client id.
                out.writeInt(10);
                out.writeShort(18);
                out.writeShort(0);
                out.writeInt(7);
                out.writeShort(-1);
                out.flush();
                DataInputStream in = new DataInputStream(socket.getInputStream());
                int size = in.readInt();
                assertTrue(size > 6, "response size " + size);
                assertEquals(7, in.readInt(), "correlation id");
                assertEquals(0, in.readShort(), "error code");
            }
        }
    }
}
