package io.fjord.kernel;

import java.util.Objects;

/**
 * One provider the kernel found.
 *
 * @param point the extension point it provides
 * @param name its {@code name()}, the name configuration selects it by
 * @param className its class
 * @param module its module's name, or {@code unnamed} on the class path
 * @param version its module's version, or empty when the module declares none
 * @param origin where it came from
 * @param automatic whether its module is an automatic module (a plain jar on a module path)
 */
public record PluginInfo(ExtensionPoint point, String name, String className, String module, String version,
                         PluginOrigin origin, boolean automatic) {

    public PluginInfo {
        Objects.requireNonNull(point, "point");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(origin, "origin");
    }

    /** How error messages name this provider: class, module and origin. */
    String describe() {
        return className + " (module " + module + ", from " + origin + ")";
    }
}
