package io.fjord.kernel;

/**
 * A plugin that cannot be selected or started: an unknown name (the message lists the names
 * available), a name two providers claim (the message names both origins), or a failure in
 * its constructor or {@code configure}.
 */
public class PluginException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PluginException(String message) {
        super(message);
    }

    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
