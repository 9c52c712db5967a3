package io.fjord.cli;

import io.fjord.client.admin.AlterConfigOp;
import io.fjord.client.admin.ConfigEntry;
import io.fjord.client.admin.ConfigResource;
import io.fjord.client.admin.FjordAdmin;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

/**
 * {@code fjord configs}: describe and alter a topic's configs with the flags of Kafka's
 * kafka-configs.sh ({@code --entity-type topics --entity-name T --describe}, {@code --alter
 * --add-config k=v,... --delete-config k,...}), through Fjord's admin client. Alterations are
 * incremental: keys not named keep their values.
 */
@Command(name = "configs", mixinStandardHelpOptions = true,
        description = "Describe and alter topic configs (flags as kafka-configs.sh).")
public final class ConfigsCommand implements Callable<Integer> {

    private static final int DYNAMIC_TOPIC_CONFIG = 1;

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-server", required = true, paramLabel = "host:port")
    String bootstrapServer;

    @Option(names = "--entity-type", required = true, paramLabel = "topics")
    String entityType;

    @Option(names = "--entity-name", required = true, paramLabel = "T")
    String entityName;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    static final class Action {
        @Option(names = "--describe", required = true) boolean describe;
        @Option(names = "--alter", required = true) boolean alter;
    }

    @Option(names = "--add-config", paramLabel = "k=v[,k=v...]", split = ",")
    List<String> addConfigs = new ArrayList<>();

    @Option(names = "--delete-config", paramLabel = "k[,k...]", split = ",")
    List<String> deleteConfigs = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!entityType.equals("topics") && !entityType.equals("topic")) {
            err.println("Only --entity-type topics is supported, not " + entityType);
            err.flush();
            return 1;
        }
        ConfigResource resource = ConfigResource.topic(entityName);
        try (FjordAdmin admin = new FjordAdmin(Map.of("bootstrap.servers", bootstrapServer))) {
            if (action.describe) {
                out.println("Dynamic configs for topic " + entityName + " are:");
                for (ConfigEntry entry : admin.describeConfigs(List.of(resource)).get(resource).get()) {
                    if (entry.source() == DYNAMIC_TOPIC_CONFIG) {
                        out.println("  " + entry.name() + "=" + (entry.sensitive() ? null : entry.value())
                                + " sensitive=" + entry.sensitive());
                    }
                }
            } else {
                List<AlterConfigOp> ops = new ArrayList<>();
                for (String config : addConfigs) {
                    int eq = config.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("Config '" + config + "' is not key=value");
                    }
                    ops.add(new AlterConfigOp(config.substring(0, eq), config.substring(eq + 1), AlterConfigOp.OpType.SET));
                }
                for (String key : deleteConfigs) {
                    ops.add(new AlterConfigOp(key, null, AlterConfigOp.OpType.DELETE));
                }
                if (ops.isEmpty()) {
                    throw new IllegalArgumentException("--alter needs --add-config or --delete-config");
                }
                admin.incrementalAlterConfigs(Map.of(resource, ops)).get(resource).get();
                out.println("Completed updating config for topic " + entityName + ".");
            }
            out.flush();
            return 0;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String message = cause instanceof ApiException api && api.error() == Errors.UNKNOWN_TOPIC_OR_PARTITION
                    ? "The topic '" + entityName + "' does not exist."
                    : cause instanceof ApiException api ? api.error() + ": " + api.getMessage() : String.valueOf(cause);
            err.println("Error while executing config command with args: " + message);
            err.flush();
            return 1;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.flush();
            return 1;
        }
    }
}
