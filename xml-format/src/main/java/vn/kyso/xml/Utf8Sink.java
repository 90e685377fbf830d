package vn.kyso.xml;

/**
 * Encodes canonical XML as UTF-8 into a buffer that is handed to a {@link Target} (a
 * MessageDigest's update, a stream) whenever it fills, so canonicalizing a large element never
 * holds its canonical form in memory. A lone UTF-16 surrogate, which has no UTF-8 form, is refused
 * with {@link UnpairedSurrogateException} instead of being written as bytes no reader accepts.
 * Not thread-safe.
 */
final class Utf8Sink {

    /** Text holding half of a surrogate pair: it is not Unicode text and cannot be written as UTF-8. */
    static final class UnpairedSurrogateException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UnpairedSurrogateException(char c) {
            super(String.format("the text holds a lone UTF-16 surrogate U+%04X, which has no UTF-8 form (written as"
                    + " is it would make the XML invalid UTF-8)", (int) c));
        }
    }

    /** Where full buffers go. */
    interface Target {
        void write(byte[] bytes, int offset, int length);
    }

    private final Target target;
    private final byte[] buf = new byte[8192];
    private int n;

    Utf8Sink(Target target) {
        this.target = target;
    }

    /** Markup known to need no escaping (names, fixed syntax). */
    void raw(String s) {
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                put((byte) c);
            } else {
                i = encode(s, i, c);
            }
        }
    }

    void raw(char c) {
        put((byte) c);
    }

    /** Text node content, escaped as C14N 1.0 requires ({@code & < > #xD}). */
    void text(char[] chars, int start, int length) {
        int i = start;
        int end = start + length;
        while (i < end) {
            // plain ASCII runs go straight into the buffer; anything else takes the careful path
            int room = buf.length - n;
            int stop = Math.min(end, i + room);
            byte[] b = buf;
            int k = n;
            while (i < stop) {
                char c = chars[i];
                if (c >= 0x80 || c == '&' || c == '<' || c == '>' || c == '\r') {
                    break;
                }
                b[k++] = (byte) c;
                i++;
            }
            n = k;
            if (i == end) {
                return;
            }
            if (i == stop) {
                flush();
                continue;
            }
            char c = chars[i];
            switch (c) {
                case '&' -> raw("&amp;");
                case '<' -> raw("&lt;");
                case '>' -> raw("&gt;");
                case '\r' -> raw("&#xD;");
                default -> {
                    if (!Character.isSurrogate(c)) {
                        codePoint(c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(chars[i + 1])) {
                        codePoint(Character.toCodePoint(c, chars[++i]));
                    } else {
                        throw new UnpairedSurrogateException(c);
                    }
                }
            }
            i++;
        }
    }

    void text(String s) {
        text(s.toCharArray(), 0, s.length());
    }

    /** An attribute value, escaped as C14N 1.0 requires ({@code & < " #x9 #xA #xD}). */
    void attribute(String s) {
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                switch (c) {
                    case '&' -> raw("&amp;");
                    case '<' -> raw("&lt;");
                    case '"' -> raw("&quot;");
                    case '\t' -> raw("&#x9;");
                    case '\n' -> raw("&#xA;");
                    case '\r' -> raw("&#xD;");
                    default -> put((byte) c);
                }
            } else {
                i = encode(s, i, c);
            }
        }
    }

    /** Comment or processing-instruction content: no escaping, only encoding. */
    void verbatim(String s) {
        raw(s);
    }

    /** Hands the buffered bytes to the target. */
    void flush() {
        if (n > 0) {
            target.write(buf, 0, n);
            n = 0;
        }
    }

    private int encode(String s, int i, char c) {
        if (!Character.isSurrogate(c)) {
            codePoint(c);
            return i;
        }
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            codePoint(Character.toCodePoint(c, s.charAt(i + 1)));
            return i + 1;
        }
        throw new UnpairedSurrogateException(c);
    }

    private void codePoint(int cp) {
        if (n + 4 > buf.length) {
            flush();
        }
        if (cp < 0x80) {
            buf[n++] = (byte) cp;
        } else if (cp < 0x800) {
            buf[n++] = (byte) (0xC0 | cp >> 6);
            buf[n++] = (byte) (0x80 | cp & 0x3F);
        } else if (cp < 0x10000) {
            buf[n++] = (byte) (0xE0 | cp >> 12);
            buf[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
            buf[n++] = (byte) (0x80 | cp & 0x3F);
        } else {
            buf[n++] = (byte) (0xF0 | cp >> 18);
            buf[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
            buf[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
            buf[n++] = (byte) (0x80 | cp & 0x3F);
        }
    }

    private void put(byte b) {
        if (n == buf.length) {
            flush();
        }
        buf[n++] = b;
    }
}
