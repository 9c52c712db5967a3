package io.fjord.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code fjord version}: the same as {@code fjord --version}. */
@Command(name = "version", description = "Print the Fjord and Java versions.")
public final class VersionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        for (String line : new FjordVersion().getVersion()) {
            spec.commandLine().getOut().println(line);
        }
        return 0;
    }
}
