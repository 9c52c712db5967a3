package io.fjord.kernel;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.module.ResolvedModule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Builds real plugin jars for tests: compiles the given sources against {@code io.fjord.api} with
 * the JDK's compiler and packs classes and resources. Without a module-info the jar is a plain
 * jar, which a plugins folder loads as an automatic module.
 */
final class PluginJar {

    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, String> resources = new LinkedHashMap<>();
    private final List<Path> modulePath = new ArrayList<>();
    private String moduleVersion;

    static PluginJar create() {
        return new PluginJar();
    }

    /** A codec provider class {@code fqcn} whose {@code name()} is {@code name}; see {@link #codecSource}. */
    PluginJar codec(String fqcn, String name) {
        return source(fqcn, codecSource(fqcn, name, ""));
    }

    PluginJar source(String fqcn, String code) {
        sources.put(fqcn, code);
        return this;
    }

    PluginJar moduleInfo(String code) {
        sources.put("module-info", code);
        return this;
    }

    PluginJar resource(String path, String content) {
        resources.put(path, content);
        return this;
    }

    /** Further jars to compile against (for modules that require other plugin modules). */
    PluginJar compileAgainst(Path jar) {
        modulePath.add(jar);
        return this;
    }

    PluginJar moduleVersion(String version) {
        this.moduleVersion = version;
        return this;
    }

    /** Declares {@code providers} for the codec SPI in META-INF/services. */
    PluginJar codecServices(String... providers) {
        return resource("META-INF/services/io.fjord.api.compression.CompressionCodec",
                String.join("\n", providers) + "\n");
    }

    /**
     * A codec that copies bytes. {@code configure} records its config in the system property
     * {@code fjord.test.<name>.config} and fails when given {@code fail}; {@code close} appends
     * its name to {@code fjord.test.closed}.
     */
    static String codecSource(String fqcn, String name, String constructorBody) {
        int dot = fqcn.lastIndexOf('.');
        String pkg = fqcn.substring(0, dot);
        String cls = fqcn.substring(dot + 1);
        return "package " + pkg + ";\n"
                + "public class " + cls + " implements io.fjord.api.compression.CompressionCodec {\n"
                + "  public " + cls + "() { " + constructorBody + " }\n"
                + "  public String name() { return \"" + name + "\"; }\n"
                + "  public int id() { return 7; }\n"
                + "  public java.io.OutputStream compressor(java.io.OutputStream s) { return s; }\n"
                + "  public java.io.InputStream decompressor(java.io.InputStream s) { return s; }\n"
                + "  public void configure(java.util.Map<String, String> c) {\n"
                + "    System.setProperty(\"fjord.test." + name + ".config\", new java.util.TreeMap<>(c).toString());\n"
                + "    if (c.containsKey(\"fail\")) throw new io.fjord.api.ConfigException(\"compression." + name
                + ".fail\", c.get(\"fail\"), \"must not be set\");\n"
                + "  }\n"
                + "  public void close() {\n"
                + "    System.setProperty(\"fjord.test.closed\", System.getProperty(\"fjord.test.closed\", \"\") + \""
                + name + ",\");\n"
                + "  }\n"
                + "}\n";
    }

    /** Writes the jar to {@code jar} (parent folders created) and returns it. */
    Path writeTo(Path jar) throws IOException {
        Path work = Files.createTempDirectory("plugin-src");
        Path src = work.resolve("src");
        Path classes = work.resolve("classes");
        Files.createDirectories(classes);
        List<String> args = new ArrayList<>(List.of("--release", "17", "-d", classes.toString(), "-proc:none"));
        boolean modular = sources.containsKey("module-info");
        args.add(modular ? "--module-path" : "--class-path");
        StringBuilder path = new StringBuilder(apiLocation().toString());
        modulePath.forEach(p -> path.append(java.io.File.pathSeparator).append(p));
        args.add(path.toString());
        if (moduleVersion != null) {
            args.add("--module-version");
            args.add(moduleVersion);
        }
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            if (e.getKey().equals("module-info")) {
                file = src.resolve("module-info.java");
            }
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        java.io.ByteArrayOutputStream diagnostics = new java.io.ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException("fixture does not compile: " + diagnostics);
        }
        Files.createDirectories(jar.toAbsolutePath().getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                put(out, classes.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
            }
            for (Map.Entry<String, String> r : resources.entrySet()) {
                put(out, r.getKey(), r.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        return jar;
    }

    private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        OutputStream o = out;
        o.write(bytes);
        out.closeEntry();
    }

    /** Where io.fjord.api is on this test's module path (a folder of classes or a jar). */
    static Path apiLocation() {
        ResolvedModule api = ModuleLayer.boot().configuration().findModule("io.fjord.api").orElseThrow(
                () -> new IllegalStateException("io.fjord.api is not on the module path"));
        return Path.of(api.reference().location().orElseThrow());
    }
}
