package io.fjord.kernel;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a provider came from.
 *
 * @param kind the kind of place
 * @param location the plugin folder or jar for {@link Kind#FOLDER}, the jar or directory for
 *     {@link Kind#CLASS_PATH}, empty for {@link Kind#IMAGE}
 */
public record PluginOrigin(Kind kind, String location) {

    public enum Kind {
        /** A named module of the boot layer: the jlink image or the module path. */
        IMAGE,
        /** A jar or directory on the class path (declared in {@code META-INF/services}). */
        CLASS_PATH,
        /** A child layer made from a sub-folder or jar of the plugins folder. */
        FOLDER
    }

    public PluginOrigin {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(location, "location");
    }

    static PluginOrigin image() {
        return new PluginOrigin(Kind.IMAGE, "");
    }

    static PluginOrigin folder(Path path) {
        return new PluginOrigin(Kind.FOLDER, path.toString());
    }

    /** {@code image}, {@code class path <where>} or the folder's path. */
    @Override
    public String toString() {
        return switch (kind) {
            case IMAGE -> "image";
            case CLASS_PATH -> "class path " + location;
            case FOLDER -> location;
        };
    }
}
