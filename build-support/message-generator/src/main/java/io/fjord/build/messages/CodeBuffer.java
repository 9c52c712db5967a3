package io.fjord.build.messages;

/** Java source text with indentation: each {@link #line} is written at the current depth. */
final class CodeBuffer {
    private static final String INDENT = "    ";

    private final StringBuilder text = new StringBuilder();
    private int depth;

    CodeBuffer(int depth) {
        this.depth = depth;
    }

    CodeBuffer line(String line) {
        if (!line.isEmpty()) {
            text.append(INDENT.repeat(depth)).append(line);
        }
        text.append('\n');
        return this;
    }

    CodeBuffer blank() {
        return line("");
    }

    /** Writes {@code line} (normally ending in a brace) and indents what follows. */
    CodeBuffer open(String line) {
        line(line);
        depth++;
        return this;
    }

    /** Outdents and writes {@code line} (normally a closing brace). */
    CodeBuffer close(String line) {
        depth--;
        return line(line);
    }

    /** Writes {@code line} one level out (such as {@code "} else {"}) and stays at the same depth after it. */
    CodeBuffer reopen(String line) {
        depth--;
        line(line);
        depth++;
        return this;
    }

    CodeBuffer close() {
        return close("}");
    }

    /** A Javadoc comment of one or more paragraphs, wrapped at about 100 columns. */
    CodeBuffer javadoc(String... paragraphs) {
        line("/**");
        boolean first = true;
        for (String paragraph : paragraphs) {
            if (!first) {
                line(" *");
            }
            wrap((first ? "" : "<p>") + escape(paragraph));
            first = false;
        }
        return line(" */");
    }

    private void wrap(String paragraph) {
        int width = Math.max(40, 100 - INDENT.length() * depth - 3);
        StringBuilder current = new StringBuilder();
        for (String word : paragraph.split("\\s+")) {
            if (current.length() > 0 && current.length() + 1 + word.length() > width) {
                line(" * " + current);
                current.setLength(0);
            }
            if (current.length() > 0) {
                current.append(' ');
            }
            current.append(word);
        }
        if (current.length() > 0) {
            line(" * " + current);
        }
    }

    /** Keeps spec prose from breaking the comment or the HTML of Javadoc. */
    static String escape(String prose) {
        return prose.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("@", "&#64;")
                .replace("*/", "*&#47;");
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
