package io.fjord.clienttests;

import io.fjord.broker.testing.BrokerFixture;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Fjord's admin client against a Fjord broker. */
class FjordBrokerAdminTest extends AdminContract {

    @TempDir
    static Path dataDir;
    private BrokerFixture broker;

    @Override
    protected int startBroker() throws Exception {
        broker = BrokerFixture.start(dataDir);
        return broker.broker().boundPort();
    }

    @Override
    protected void stopBroker() throws Exception {
        broker.close();
    }
}
