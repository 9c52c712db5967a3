package io.fjord.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root command: {@code fjord <command>}. */
@Command(name = "fjord",
        mixinStandardHelpOptions = true,
        versionProvider = FjordVersion.class,
        description = "Fjord, a Kafka-compatible event-streaming broker and client.",
        subcommands = {
            BrokerCommand.class,
            ZooKeeperCommand.class,
            TopicsCommand.class,
            ConfigsCommand.class,
            ReassignPartitionsCommand.class,
            LeaderElectionCommand.class,
            ProduceCommand.class,
            ConsumeCommand.class,
            GroupsCommand.class,
            PerfCommand.class,
            ImageCommand.class,
            PluginsCommand.class,
            VersionCommand.class,
            CommandLine.HelpCommand.class
        })
public final class FjordCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
    }
}
