/** The {@code fjord} command. Its entry point is {@link io.fjord.cli.Main}. */
module io.fjord.cli {
    requires io.fjord.broker;
    // The producer and admin client behind produce, topics and perf.
    requires io.fjord.client;
    requires io.fjord.kernel;
    requires info.picocli;

    // picocli sets the annotated option fields of the commands by reflection.
    opens io.fjord.cli to info.picocli;
}
