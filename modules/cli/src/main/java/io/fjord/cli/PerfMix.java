package io.fjord.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A mix: a small properties file naming the modules of an image, its plugin folders and the
 * broker, producer and consumer settings to run it with. Its name is the file's, less
 * {@code .properties}. Keys:
 *
 * <pre>
 * description=lz4 on the producer, stored as sent
 * modules=io.fjord.broker,io.fjord.compression     # roots of the image; io.fjord.cli is always in
 * without=io.fjord.coordinator                      # modules to leave out
 * plugins=../../plugins/snappy/target/snappy        # plugin folders, relative to this file
 * image=../images/broker                           # or: an image built before, used as it is
 * broker.compression.type=producer                  # broker settings (--override)
 * producer.compression.type=lz4                     # producer settings
 * consumer.partition.assignment.strategy=range      # consumer settings
 * </pre>
 *
 * Any other key is refused, so a typo never silently measures the wrong mix.
 */
record PerfMix(String name, Path file, String description, List<String> modules, List<String> without,
               List<Path> plugins, Path image, Map<String, String> broker, Map<String, String> producer,
               Map<String, String> consumer) {

    private static final Set<String> PLAIN_KEYS = Set.of("description", "modules", "without", "plugins", "image");

    static PerfMix read(Path file) throws ImageException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new ImageException("cannot read mix " + file + ": " + e.getMessage());
        }
        Map<String, String> broker = new TreeMap<>();
        Map<String, String> producer = new TreeMap<>();
        Map<String, String> consumer = new TreeMap<>();
        for (String key : props.stringPropertyNames()) {
            String value = props.getProperty(key).trim();
            if (PLAIN_KEYS.contains(key)) {
                continue;
            } else if (key.startsWith("broker.")) {
                broker.put(key.substring("broker.".length()), value);
            } else if (key.startsWith("producer.")) {
                producer.put(key.substring("producer.".length()), value);
            } else if (key.startsWith("consumer.")) {
                consumer.put(key.substring("consumer.".length()), value);
            } else {
                throw new ImageException("mix " + file + ": unknown key '" + key + "' (expected description, modules, "
                        + "without, plugins, image, or a broker., producer. or consumer. setting)");
            }
        }
        Path folder = file.toAbsolutePath().getParent();
        List<Path> plugins = new ArrayList<>();
        for (String p : list(props.getProperty("plugins"))) {
            plugins.add(folder.resolve(p).normalize());
        }
        String image = props.getProperty("image", "").trim();
        List<String> modules = list(props.getProperty("modules"));
        List<String> without = list(props.getProperty("without"));
        if (!image.isEmpty() && !(modules.isEmpty() && without.isEmpty() && plugins.isEmpty())) {
            throw new ImageException("mix " + file + ": image names a built image, so modules, without and plugins "
                    + "would be ignored; give one or the other");
        }
        String fileName = file.getFileName().toString();
        String name = fileName.endsWith(".properties") ? fileName.substring(0, fileName.length() - ".properties".length())
                : fileName;
        return new PerfMix(name, file, props.getProperty("description", "").trim(), modules, without,
                List.copyOf(plugins), image.isEmpty() ? null : folder.resolve(image).normalize(), Map.copyOf(broker),
                Map.copyOf(producer), Map.copyOf(consumer));
    }

    /** Every setting of the mix, for the image's provider check. */
    Map<String, String> allSettings() {
        Map<String, String> all = new TreeMap<>(broker);
        all.putAll(producer);
        all.putAll(consumer);
        return all;
    }

    /** What identifies the image of this mix: mixes that differ only in settings share one. */
    String imageKey() {
        return String.join(",", new TreeSet<>(modules)) + "|" + String.join(",", new TreeSet<>(without))
                + "|" + String.join(",", plugins.stream().map(Path::toString).sorted().toList());
    }

    private static List<String> list(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
