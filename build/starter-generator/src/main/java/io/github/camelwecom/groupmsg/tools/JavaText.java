package io.github.camelwecom.groupmsg.tools;

import java.util.ArrayList;
import java.util.List;

/** Text written into the generated sources: Javadoc wrapped as the project's formatter wraps it, string literals. */
final class JavaText {

    /** The line length the project's formatter uses; the generated sources keep to it. */
    static final int LINE_LENGTH = 120;

    private JavaText() {
    }

    /** A Javadoc comment of one or more paragraphs, wrapped at {@link #LINE_LENGTH} as the project's formatter does. */
    static String javadoc(String indent, String... paragraphs) {
        StringBuilder out = new StringBuilder(indent).append("/**\n");
        int width = LINE_LENGTH - indent.length() - 3;
        for (int i = 0; i < paragraphs.length; i++) {
            if (i > 0) {
                out.append(indent).append(" *\n").append(indent).append(" * <p>\n");
            }
            for (String line : wrap(escapeJavadoc(paragraphs[i]), width)) {
                out.append(indent).append(" * ").append(line).append('\n');
            }
        }
        return out.append(indent).append(" */\n").toString();
    }

    /**
     * Words filled greedily into lines of at most {@code width} (longer only for a word that long). An inline tag such
     * as {@code {@code a b}} is kept on one line, and a word starting with '@' never starts a line (it would read as a
     * block tag).
     */
    static List<String> wrap(String text, int width) {
        List<String> words = new ArrayList<>();
        for (String word : text.trim().split("\\s+")) {
            int last = words.size() - 1;
            if (last >= 0 && openInlineTag(words.get(last))) {
                words.set(last, words.get(last) + " " + word);
            } else {
                words.add(word);
            }
        }
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : words) {
            boolean fits = line.length() + 1 + word.length() <= width;
            if (line.length() > 0 && !fits && !word.startsWith("@")) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }

    /** Whether the text has a <code>{&#64;</code> whose closing brace is not in it yet. */
    private static boolean openInlineTag(String text) {
        int depth = 0;
        boolean inTag = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                inTag |= text.startsWith("{@", i);
                depth++;
            } else if (c == '}' && depth > 0) {
                depth--;
                inTag &= depth > 0;
            }
        }
        return inTag && depth > 0;
    }

    /** Text that cannot end the comment early, nor be read by javac as a unicode escape. */
    static String escapeJavadoc(String text) {
        return text.replace("*/", "*&#47;").replace("\\u", "&#92;u");
    }

    /** A Java string literal with the text. */
    static String stringLiteral(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
