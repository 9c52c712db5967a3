package io.fjord.moduletests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Custom images built once per test run and shared by the test classes that need them: linking an
 * image takes half a minute on a small machine. Each is built by the built image's
 * {@code fjord image} on first use; what an earlier run left is removed first, so an image never
 * outlives the build it came from.
 */
final class SharedImages {

    private static Path brokerWithSnappy;
    private static String brokerWithSnappyOutput;

    private SharedImages() {
    }

    /** A broker-only image (broker and built-in codecs) with the snappy plugin in its plugins/. */
    static synchronized Path brokerWithSnappy() throws Exception {
        if (brokerWithSnappy == null) {
            Path dir = Modules.pathProperty("fjord.test.images").resolve("broker-snappy");
            deleteTree(dir);
            Files.createDirectories(dir.getParent());
            Path snappy = Modules.pathProperty("fjord.plugins.source").resolve("snappy/target/snappy");
            FjordProcesses.Run r = fjordImage("--output", dir.toString(), "--add-modules", "io.fjord.broker,io.fjord.compression",
                    "--plugin", snappy.toString(), "--config", "compression.type=snappy");
            assertEquals(0, r.code(), r.out());
            brokerWithSnappy = dir;
            brokerWithSnappyOutput = r.out();
        }
        return brokerWithSnappy;
    }

    /** What {@code fjord image} printed when it built {@link #brokerWithSnappy()}. */
    static synchronized String brokerWithSnappyOutput() throws Exception {
        brokerWithSnappy();
        return brokerWithSnappyOutput;
    }

    /** {@code fjord image ARGS} of the built image, linked by the JDK these tests run on. */
    static FjordProcesses.Run fjordImage(String... args) throws Exception {
        String[] all = new String[args.length + 3];
        all[0] = "image";
        all[1] = "--jdk";
        all[2] = System.getProperty("java.home");
        System.arraycopy(args, 0, all, 3, args.length);
        return FjordProcesses.run(Modules.pathProperty("fjord.image"), all);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
