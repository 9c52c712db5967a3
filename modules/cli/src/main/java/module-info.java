/** The {@code fjord} command. Its entry point is {@link io.fjord.cli.Main}. */
module io.fjord.cli {
    // The broker and zookeeper commands; static, so a client-only image (fjord image without the
    // broker's modules) still runs the client commands. ImageModules says which are present.
    requires static io.fjord.broker;
    requires static io.fjord.controller;
    // The producer, consumer and admin client behind produce, consume, topics, groups and perf.
    requires io.fjord.client;
    // The consumer protocol's bytes: fjord groups shows each member's assignment.
    requires io.fjord.assignors;
    requires io.fjord.kernel;
    requires info.picocli;
    // The JSON files of reassign-partitions and leader-election.
    requires com.fasterxml.jackson.jr.ob;
    // fjord image --repository: POMs read with the JDK's parser, repositories fetched over http(s).
    // Static, so custom images do not carry them; the default image adds them (dist/pom.xml).
    requires static java.xml;
    requires static java.net.http;

    // picocli sets the annotated option fields of the commands by reflection.
    opens io.fjord.cli to info.picocli;
}
