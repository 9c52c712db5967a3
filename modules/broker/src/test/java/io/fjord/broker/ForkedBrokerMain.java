package io.fjord.broker;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The entry point of a broker in its own JVM, for tests that kill it: the arguments are
 * {@code key=value} broker settings; once serving it prints {@code READY <port>} on standard
 * output; a {@code stop} line on standard input (or its end) shuts it down cleanly and prints
 * {@code STOPPED}.
 */
public final class ForkedBrokerMain {

    private ForkedBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> props = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            props.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Broker broker = new Broker(BrokerConfig.of(props));
        broker.start();
        System.out.println("READY " + broker.boundPort());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        do {
            line = in.readLine();
        } while (line != null && !line.equals("stop"));
        broker.shutdown();
        System.out.println("STOPPED");
        System.out.flush();
    }
}
