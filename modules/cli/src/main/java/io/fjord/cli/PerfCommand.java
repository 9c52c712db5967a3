package io.fjord.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code fjord perf}: the performance tools, one subcommand each. */
@Command(name = "perf", mixinStandardHelpOptions = true,
        description = "Performance tools (as Kafka's perf-test scripts).",
        subcommands = {PerfProduceCommand.class, PerfConsumeCommand.class, PerfSuiteCommand.class,
                CommandLine.HelpCommand.class})
public final class PerfCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing perf tool, such as produce");
    }
}
