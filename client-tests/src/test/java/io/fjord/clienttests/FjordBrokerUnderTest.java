package io.fjord.clienttests;

import io.fjord.broker.testing.BrokerFixture;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A Fjord broker behind a loopback proxy, so its address survives a restart on a new port. */
final class FjordBrokerUnderTest implements BrokerUnderTest {

    private final Path dataDir;
    private final LoopbackProxy proxy;
    private final Map<String, String> settings;
    private BrokerFixture broker;

    FjordBrokerUnderTest(Path dataDir, Map<String, String> extra) throws Exception {
        this.dataDir = dataDir;
        this.proxy = new LoopbackProxy();
        this.settings = new HashMap<>(extra);
        settings.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + proxy.port());
        start();
    }

    private void start() throws Exception {
        broker = BrokerFixture.start(dataDir, settings);
        proxy.forwardTo(broker.broker().boundPort());
    }

    BrokerFixture fixture() {
        return broker;
    }

    @Override
    public String bootstrap() {
        return "127.0.0.1:" + proxy.port();
    }

    @Override
    public void restart() throws Exception {
        broker.close();
        start();
    }

    @Override
    public void close() throws Exception {
        proxy.close();
        broker.close();
    }
}
