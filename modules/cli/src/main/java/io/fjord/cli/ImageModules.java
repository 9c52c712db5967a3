package io.fjord.cli;

/**
 * Which of the optional Fjord modules the running image holds. A custom image may leave out the
 * broker (a client-only image) or the metadata modules: the commands that need them ask here
 * first and explain, instead of failing on a missing class.
 */
final class ImageModules {

    static final String BROKER = "io.fjord.broker";
    static final String CONTROLLER = "io.fjord.controller";

    private ImageModules() {
    }

    static boolean has(String module) {
        ModuleLayer layer = ImageModules.class.getModule().getLayer();
        return (layer != null ? layer : ModuleLayer.boot()).findModule(module).isPresent();
    }

    static String missing(String module, String what) {
        return "this image cannot run " + what + ": module " + module + " is not in it (build an image with "
                + "fjord image --add-modules " + module + ")";
    }
}
