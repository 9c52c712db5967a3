package io.fjord.build.messages;

/**
 * An inclusive range of message versions, written in a spec as {@code "3+"} (3 and later),
 * {@code "3-7"}, {@code "5"} or {@code "none"}.
 *
 * <p>Invariant: an empty range is {@link #NONE}; otherwise {@code 0 <= lowest <= highest}, with
 * {@link Short#MAX_VALUE} standing for "no upper bound".
 */
record Versions(short lowest, short highest) {

    static final Versions NONE = new Versions((short) 1, (short) 0);
    static final Versions ALL = new Versions((short) 0, Short.MAX_VALUE);

    static Versions parse(String text) {
        String s = text.trim();
        if (s.equals("none")) {
            return NONE;
        }
        try {
            if (s.endsWith("+")) {
                return of(Short.parseShort(s.substring(0, s.length() - 1)), Short.MAX_VALUE);
            }
            int dash = s.indexOf('-');
            if (dash > 0) {
                return of(Short.parseShort(s.substring(0, dash)), Short.parseShort(s.substring(dash + 1)));
            }
            short single = Short.parseShort(s);
            return of(single, single);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a version range (\"3+\", \"3-7\", \"5\", \"none\")");
        }
    }

    private static Versions of(short lowest, short highest) {
        if (lowest < 0 || highest < lowest) {
            throw new IllegalArgumentException("empty or negative version range " + lowest + "-" + highest);
        }
        return new Versions(lowest, highest);
    }

    boolean isEmpty() {
        return lowest > highest;
    }

    boolean contains(short version) {
        return version >= lowest && version <= highest;
    }

    boolean contains(Versions other) {
        return other.isEmpty() || (!isEmpty() && lowest <= other.lowest && highest >= other.highest);
    }

    Versions intersect(Versions other) {
        short lo = (short) Math.max(lowest, other.lowest);
        short hi = (short) Math.min(highest, other.highest);
        return lo > hi ? NONE : new Versions(lo, hi);
    }

    /**
     * A Java boolean expression over {@code variable} that is true for the versions of this range,
     * simplified for a variable known to lie in {@code context}: {@code "true"} when the range
     * covers the context, {@code "false"} when they do not meet.
     */
    String condition(String variable, Versions context) {
        Versions within = intersect(context);
        if (within.isEmpty()) {
            return "false";
        }
        boolean needLow = within.lowest > context.lowest;
        boolean needHigh = within.highest < context.highest;
        if (needLow && needHigh) {
            return within.lowest == within.highest ? variable + " == " + within.lowest
                    : variable + " >= " + within.lowest + " && " + variable + " <= " + within.highest;
        }
        if (needLow) {
            return variable + " >= " + within.lowest;
        }
        if (needHigh) {
            return variable + " <= " + within.highest;
        }
        return "true";
    }

    @Override
    public String toString() {
        if (isEmpty()) {
            return "none";
        }
        if (highest == Short.MAX_VALUE) {
            return lowest + "+";
        }
        return lowest == highest ? Short.toString(lowest) : lowest + "-" + highest;
    }
}
