package io.fjord.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FjordCommandTest {

    @TempDir
    Path dir;

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome fjord(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void versionPrintsTheBuiltVersionAndTheJavaRuntime() {
        Outcome o = fjord("version");
        assertEquals(0, o.code());
        String[] lines = o.out().split("\n");
        assertTrue(lines[0].matches("Fjord \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), lines[0]);
        assertTrue(lines[1].startsWith("Java " + Runtime.version()), lines[1]);
        assertEquals(o.out(), fjord("--version").out());
    }

    @Test
    void pluginsListsAnEmptyFolderAsATableWithNoErrors() throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Outcome o = fjord("plugins", "--plugins-dir", plugins.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().matches("(?s)EXTENSION POINT +NAME +MODULE +VERSION +ORIGIN +AUTOMATIC\n.*"), o.out());
        // The command carries the built-in codecs (fjord produce and consume use them) and assignors; the empty
        // folder adds none.
        for (String codec : new String[] {"gzip", "lz4", "none", "zstd"}) {
            assertTrue(o.out().matches("(?s).*\ncodec +" + codec + " +io\\.fjord\\.compression +\\S+ +image +no\n.*"),
                    o.out());
        }
        for (String assignor : new String[] {"cooperative-sticky", "range", "roundrobin", "sticky"}) {
            assertTrue(o.out().matches("(?s).*\nassignor +" + assignor + " +io\\.fjord\\.assignors +\\S+ +image +no\n.*"),
                    o.out());
        }
        assertTrue(o.out().contains("Plugins folder: " + plugins + "\n"), o.out());
        assertTrue(!o.out().contains("Load errors"), o.out());
    }

    @Test
    void pluginsReportsABrokenJarAndExitsOne() throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path broken = Files.writeString(plugins.resolve("broken.jar"), "not a jar");
        Outcome table = fjord("plugins", "--plugins-dir", plugins.toString());
        assertEquals(1, table.code());
        assertTrue(table.out().contains("Load errors:\n  " + broken + ": cannot be read as modules: "), table.out());

        Outcome json = fjord("plugins", "--json", "--plugins-dir", plugins.toString());
        assertEquals(1, json.code());
        assertTrue(json.out().startsWith("{\"pluginsFolder\":" + Json.string(plugins.toString()) + ",\"plugins\":["),
                json.out());
        assertTrue(json.out().contains(",\"errors\":[{\"location\":" + Json.string(broken.toString())
                + ",\"reason\":\"cannot be read as modules: "), json.out());
    }

    @Test
    void aMissingOrUnknownCommandIsAUsageErrorWithExitTwo() {
        Outcome none = fjord();
        assertEquals(2, none.code());
        assertTrue(none.err().contains("Missing command"), none.err());
        assertTrue(none.err().contains("Usage: fjord"), none.err());

        Outcome unknown = fjord("brokr");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("Unmatched argument at index 0: 'brokr'"), unknown.err());
    }

    @Test
    void zookeeperWithoutThePluginSaysWhereToPutItAndExitsOne() throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Outcome o = fjord("zookeeper", "--plugins-dir", plugins.toString());
        assertEquals(1, o.code(), o.err());
        assertTrue(o.err().startsWith("fjord zookeeper: the ZooKeeper plugin is not installed: no zookeeper server in "
                + plugins), o.err());
        assertTrue(o.err().contains(plugins.resolve("zookeeper").toString()), o.err());

        Outcome missingFile = fjord("zookeeper", dir.resolve("nope.cfg").toString(), "--plugins-dir", plugins.toString());
        assertEquals(1, missingFile.code());
        assertEquals("fjord zookeeper: no such file: " + dir.resolve("nope.cfg") + "\n", missingFile.err());
    }

    @Test
    void jsonStringsAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\\n\\u0001\"", Json.string("a\"b\\c\n\u0001"));
    }

    @Test
    void textTablesAlignColumns() {
        assertEquals("A    BB\nccc  d\n", new TextTable("A", "BB").row("ccc", "d").render());
    }
}
