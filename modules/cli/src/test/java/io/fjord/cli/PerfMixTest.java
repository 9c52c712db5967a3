package io.fjord.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PerfMixTest {

    @TempDir
    Path dir;

    private PerfMix read(String name, String... lines) throws Exception {
        return PerfMix.read(Files.write(dir.resolve(name + ".properties"), List.of(lines)));
    }

    @Test
    void aMixNamesItsModulesPluginsAndSettingsForEachSide() throws Exception {
        PerfMix mix = read("snappy", "description=snappy", "modules=io.fjord.broker, io.fjord.compression",
                "without=io.fjord.coordinator", "plugins=../plugins/snappy", "broker.compression.type=producer",
                "producer.compression.type=snappy", "consumer.partition.assignment.strategy=range");
        assertEquals("snappy", mix.name());
        assertEquals(List.of("io.fjord.broker", "io.fjord.compression"), mix.modules());
        assertEquals(List.of("io.fjord.coordinator"), mix.without());
        assertEquals(List.of(dir.getParent().resolve("plugins/snappy")), mix.plugins());
        assertEquals(Map.of("compression.type", "producer"), mix.broker());
        assertEquals(Map.of("compression.type", "snappy"), mix.producer());
        assertEquals(Map.of("partition.assignment.strategy", "range"), mix.consumer());
    }

    @Test
    void mixesThatDifferOnlyInSettingsShareAnImage() throws Exception {
        PerfMix lz4 = read("lz4", "modules=io.fjord.broker,io.fjord.compression", "producer.compression.type=lz4");
        PerfMix zstd = read("zstd", "modules=io.fjord.compression,io.fjord.broker", "producer.compression.type=zstd");
        PerfMix snappy = read("snappy", "modules=io.fjord.broker,io.fjord.compression", "plugins=snappy");
        assertEquals(lz4.imageKey(), zstd.imageKey());
        assertNotEquals(lz4.imageKey(), snappy.imageKey());
    }

    @Test
    void aMixMayNameABuiltImageInsteadOfModules() throws Exception {
        PerfMix mix = read("built", "image=images/broker", "producer.compression.type=lz4");
        assertEquals(dir.resolve("images/broker"), mix.image());
        ImageException e = assertThrows(ImageException.class,
                () -> read("both", "image=images/broker", "modules=io.fjord.broker"));
        assertTrue(e.getMessage().contains("give one or the other"), e.getMessage());
    }

    @Test
    void anUnknownKeyIsRefusedSoATypoNeverMeasuresTheWrongMix() {
        ImageException e = assertThrows(ImageException.class, () -> read("typo", "module=io.fjord.broker"));
        assertTrue(e.getMessage().contains("unknown key 'module'"), e.getMessage());
    }
}
