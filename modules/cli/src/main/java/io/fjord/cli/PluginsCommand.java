package io.fjord.cli;

import io.fjord.kernel.PluginInfo;
import io.fjord.kernel.PluginLoadError;
import io.fjord.kernel.PluginRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code fjord plugins}: every provider the image and the plugins folder hold, and what failed to load. */
@Command(name = "plugins",
        description = {
            "List the plugins of this installation. Built-in providers and those in the plugins "
                    + "folder, with extension point, name, module, version, origin and whether the module is "
                    + "automatic. Exits 1 when a plugin failed to load (the reason is listed), 0 otherwise. "
                    + "With --check PATH: judges one plugin folder."
        })
public final class PluginsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--plugins-dir", paramLabel = "DIR",
            description = "The plugins folder (default: plugins/ of the installation).")
    Path pluginsDir;

    @Option(names = "--check", paramLabel = "PATH",
            description = "Check a plugin folder (or jar) before dropping it in: whether it resolves against this "
                    + "installation, what it provides, and names it shares with installed providers. Exits 1 if not OK.")
    Path check;

    @Override
    public Integer call() {
        Path folder = pluginsDir != null ? pluginsDir : FjordHome.pluginsFolder();
        if (check != null) {
            PluginCheck.Result result = PluginCheck.check(check, folder);
            PrintWriter out = spec.commandLine().getOut();
            result.lines().forEach(out::println);
            out.flush();
            return result.ok() ? 0 : 1;
        }
        try (PluginRuntime runtime = PluginRuntime.discover(folder)) {
            List<PluginInfo> plugins = runtime.plugins();
            List<PluginLoadError> errors = runtime.errors();
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? json(folder, plugins, errors) : table(folder, plugins, errors));
            out.flush();
            return errors.isEmpty() ? 0 : 1;
        }
    }

    private static String table(Path folder, List<PluginInfo> plugins, List<PluginLoadError> errors) {
        TextTable table = new TextTable("EXTENSION POINT", "NAME", "MODULE", "VERSION", "ORIGIN", "AUTOMATIC");
        for (PluginInfo p : plugins) {
            table.row(p.point().kind(), p.name(), p.module(), p.version().isEmpty() ? "-" : p.version(),
                    p.origin().toString(), p.automatic() ? "yes" : "no");
        }
        StringBuilder sb = new StringBuilder(table.render());
        sb.append('\n').append("Plugins folder: ").append(folder).append('\n');
        if (!errors.isEmpty()) {
            sb.append("Load errors:\n");
            errors.forEach(e -> sb.append("  ").append(e.location()).append(": ").append(e.reason()).append('\n'));
        }
        return sb.toString();
    }

    private static String json(Path folder, List<PluginInfo> plugins, List<PluginLoadError> errors) {
        String pluginList = plugins.stream().map(p -> "{"
                + "\"extensionPoint\":" + Json.string(p.point().kind())
                + ",\"spi\":" + Json.string(p.point().type().getName())
                + ",\"name\":" + Json.string(p.name())
                + ",\"class\":" + Json.string(p.className())
                + ",\"module\":" + Json.string(p.module())
                + ",\"version\":" + Json.string(p.version())
                + ",\"origin\":" + Json.string(p.origin().kind().name().toLowerCase(java.util.Locale.ROOT))
                + ",\"location\":" + Json.string(p.origin().location())
                + ",\"automatic\":" + p.automatic()
                + "}").collect(Collectors.joining(","));
        String errorList = errors.stream().map(e -> "{"
                + "\"location\":" + Json.string(e.location())
                + ",\"reason\":" + Json.string(e.reason())
                + "}").collect(Collectors.joining(","));
        return "{\"pluginsFolder\":" + Json.string(folder.toString())
                + ",\"plugins\":[" + pluginList + "]"
                + ",\"errors\":[" + errorList + "]}\n";
    }
}
