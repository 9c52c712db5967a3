/**
 * Fjord's plugin runtime. {@link io.fjord.kernel.PluginRuntime} is the entry point: discover once
 * at start-up, then {@link io.fjord.kernel.PluginRuntime#create create} plugins by their configured
 * name and {@link io.fjord.kernel.PluginRuntime#close close} the runtime on shutdown.
 *
 * <p>Layers: built-in providers live in the boot layer (a jlink image, or the module path) or on
 * the class path; each sub-folder of the plugins folder, and each jar directly in it, becomes one
 * child {@link java.lang.ModuleLayer} resolved parent-first, so {@code io.fjord.api} and every
 * module the image has always come from the image. A plugin that cannot be read or resolved is
 * recorded as a {@link io.fjord.kernel.PluginLoadError} and skipped; the others load.
 */
package io.fjord.kernel;
