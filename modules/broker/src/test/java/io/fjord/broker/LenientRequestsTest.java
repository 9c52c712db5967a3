package io.fjord.broker;

import io.fjord.broker.testing.BrokerFixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Kafka's broker tolerates, Fjord tolerates, and tells the operator about once per client:
 * librdkafka 2.15's all-topics Metadata request with three stray bytes is answered (and counted);
 * a request for an API or a version Fjord does not serve closes the connection, as Kafka does, and
 * is logged once per client and API.
 */
class LenientRequestsTest {

    /** librdkafka 2.15's Metadata v13 for all topics: a 4-byte placeholder where the null array is 1 byte. */
    private static final String LIBRDKAFKA_METADATA = "0003000d000000030010"
            + HexFormat.of().formatHex("0035_api_version".getBytes(StandardCharsets.US_ASCII)) + "00" + "00000000010000";

    @TempDir
    Path dir;

    private BrokerFixture fixture;
    private final List<LogRecord> notices = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (notices) {
                notices.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger noticeLogger = Logger.getLogger("io.fjord.network.ClientNotices");

    @BeforeEach
    void start() throws Exception {
        noticeLogger.addHandler(capture);
        fixture = BrokerFixture.start(dir);
        fixture.admin().createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("seen", 1, (short) 1)))
                .all().get();
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
        noticeLogger.removeHandler(capture);
    }

    private static byte[] framed(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    /** Sends {@code frame} on a new connection; the answer's bytes after the size, or null if the broker closed. */
    private byte[] exchange(byte[] frame) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", fixture.broker().boundPort()), 10_000);
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(frame);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            try {
                byte[] answer = new byte[in.readInt()];
                in.readFully(answer);
                return answer;
            } catch (EOFException closed) {
                return null;
            }
        }
    }

    private List<String> messages() {
        synchronized (notices) {
            return notices.stream().map(LogRecord::getMessage).toList();
        }
    }

    @Test
    void librdkafkasMetadataRequestIsAnsweredAndItsStrayBytesCounted() throws Exception {
        long before = fixture.broker().requestMetrics().requestsWithTrailingBytes();
        for (int i = 0; i < 2; i++) {
            byte[] answer = exchange(framed(HexFormat.of().parseHex(LIBRDKAFKA_METADATA)));
            MetadataResponse response = (MetadataResponse) org.apache.kafka.common.requests.AbstractResponse.parseResponse(
                    ByteBuffer.wrap(answer), new RequestHeader(ApiKeys.METADATA, (short) 13, "0035_api_version", 3));
            MetadataResponseData data = response.data();
            assertTrue(data.topics().stream().anyMatch(t -> t.name().equals("seen")), "every topic is listed");
            assertEquals(fixture.broker().config().nodeId(), data.brokers().iterator().next().nodeId());
        }
        assertEquals(before + 2, fixture.broker().requestMetrics().requestsWithTrailingBytes());
        List<String> logged = messages().stream().filter(m -> m.contains("bytes after the end")).toList();
        assertEquals(1, logged.size(), "logged once per client: " + logged);
        assertTrue(logged.get(0).contains("0035_api_version") && logged.get(0).contains("Metadata v13"), logged.get(0));
    }

    private static byte[] header(int apiKey, int version, String clientId) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(10 + id.length).putShort((short) apiKey).putShort((short) version).putInt(1)
                .putShort((short) id.length).put(id).array();
    }

    @Test
    void anApiOrVersionNotServedClosesTheConnectionAndIsLoggedOncePerClientAndApi() throws Exception {
        // DescribeAcls (key 29), which Fjord does not speak, twice from one client and once from another.
        assertNull(exchange(framed(header(29, 3, "tools-1"))));
        assertNull(exchange(framed(header(29, 3, "tools-1"))));
        assertNull(exchange(framed(header(29, 3, "tools-2"))));
        // Fetch version 99, which Fjord does not serve (a flexible header: an empty tagged-field section).
        byte[] fetch = header(1, 99, "tools-1");
        assertNull(exchange(framed(ByteBuffer.allocate(fetch.length + 1).put(fetch).put((byte) 0).array())));
        List<String> logged = messages().stream().filter(m -> m.contains("asked for")).toList();
        assertEquals(3, logged.size(), String.join("\n", logged));
        assertTrue(logged.get(0).contains("tools-1") && logged.get(0).contains("API key 29 version 3"), logged.get(0));
        assertTrue(logged.get(1).contains("tools-2"), logged.get(1));
        assertTrue(logged.get(2).contains("Fetch (key 1) version 99") && logged.get(2).contains("versions 4 to 17"),
                logged.get(2));
    }
}
