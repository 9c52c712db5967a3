package io.fjord.cli;

import picocli.CommandLine;

import java.util.Properties;

/** The version of Fjord and of the Java runtime it runs on. */
public final class FjordVersion implements CommandLine.IVersionProvider {

    /** The Fjord version this build carries, e.g. {@code 0.1.0}. */
    static String fjord() {
        Properties p = CliResources.properties("fjord.properties");
        return p.getProperty("version");
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "Fjord " + fjord(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ", "
                    + System.getProperty("java.vm.name") + ")"
        };
    }
}
