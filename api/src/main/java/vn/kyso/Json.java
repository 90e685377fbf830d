package vn.kyso;

import java.util.Collection;

/**
 * A minimal JSON writer for kyso's reports (api depends on nothing but SLF4J). Strings are
 * escaped per RFC 8259: quote, backslash and every control character; lone surrogates, which
 * no valid UTF-8 can carry, become U+FFFD so the output always parses.
 */
final class Json {
    private final StringBuilder out = new StringBuilder();
    private boolean needComma;

    /** Opens an object: at the top, as an array element, or after {@link #name}. */
    Json beginObject() {
        comma();
        out.append('{');
        needComma = false;
        return this;
    }

    Json endObject() {
        out.append('}');
        needComma = true;
        return this;
    }

    Json beginArray(String name) {
        key(name);
        out.append('[');
        needComma = false;
        return this;
    }

    Json endArray() {
        out.append(']');
        needComma = true;
        return this;
    }

    /** The key of a member whose value (an object) follows. */
    Json name(String name) {
        key(name);
        return this;
    }

    Json value(String name, String value) {
        key(name);
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
        needComma = true;
        return this;
    }

    Json value(String name, boolean value) {
        key(name);
        out.append(value);
        needComma = true;
        return this;
    }

    Json value(String name, long value) {
        key(name);
        out.append(value);
        needComma = true;
        return this;
    }

    /** An array element that is a string. */
    Json element(String value) {
        comma();
        string(value);
        needComma = true;
        return this;
    }

    Json strings(String name, Collection<String> values) {
        beginArray(name);
        values.forEach(this::element);
        return endArray();
    }

    private void key(String name) {
        comma();
        string(name);
        out.append(':');
        needComma = false;
    }

    private void comma() {
        if (needComma) {
            out.append(',');
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        out.append('\uFFFD');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
