package io.fjord.kernel;

/** Readable one-line reasons from exception chains, for load errors shown to users. */
final class Causes {

    private Causes() {
    }

    /** The message of {@code e} followed by those of its causes, each once: {@code a: b: c}. */
    static String chain(Throwable e) {
        StringBuilder sb = new StringBuilder(describe(e));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            String next = describe(c);
            if (!sb.toString().contains(next)) {
                sb.append(": ").append(next);
            }
        }
        return sb.toString();
    }

    private static String describe(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.getClass().getName();
    }
}
