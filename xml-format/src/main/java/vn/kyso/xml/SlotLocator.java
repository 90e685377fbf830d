package vn.kyso.xml;

import java.io.IOException;
import java.io.InputStream;

/**
 * Finds, in the raw bytes of a well-formed UTF-8 document without a DTD, where the content of its
 * n-th element ends: the offset of that element's end tag, or of the {@code />} of an empty-element
 * tag. Signing inserts the signature there and copies every other byte unchanged.
 *
 * <p>Without a DTD no entity can hide markup, so the start tags in the bytes are exactly the
 * elements the parser reported; the scanner only has to skip comments, CDATA sections,
 * processing instructions and quoted attribute values.
 */
final class SlotLocator {

    /** Where to insert: {@code offset} of the end tag, or of {@code "/>"} when {@code empty}. */
    record Insertion(long offset, boolean empty) {
    }

    private enum State { TEXT, LT, START_TAG, END_TAG, BANG, COMMENT, CDATA, PI }

    private SlotLocator() {
    }

    /**
     * @param ordinal 1 for the root element, counting start tags in document order
     * @throws IllegalStateException when the bytes do not have that element (the document changed)
     */
    static Insertion locate(InputStream in, int ordinal) throws IOException {
        byte[] buf = new byte[1 << 16];
        State state = State.TEXT;
        long pos = 0;
        long tagStart = 0;
        int count = 0;
        boolean inTarget = false;
        int depth = 0;
        byte quote = 0;
        int prev = 0;
        int prev2 = 0;
        int bangSeen = 0;
        boolean targetTag = false;
        for (int n; (n = in.read(buf)) > 0; ) {
            for (int i = 0; i < n; i++, pos++) {
                int b = buf[i];
                switch (state) {
                    case TEXT -> {
                        if (b == '<') {
                            state = State.LT;
                            tagStart = pos;
                        }
                    }
                    case LT -> {
                        if (b == '/') {
                            state = State.END_TAG;
                            if (inTarget && depth == 1) {
                                return new Insertion(tagStart, false);
                            }
                            depth--;
                        } else if (b == '!') {
                            state = State.BANG;
                            bangSeen = 0;
                        } else if (b == '?') {
                            state = State.PI;
                        } else {
                            state = State.START_TAG;
                            count++;
                            targetTag = count == ordinal;
                            quote = 0;
                        }
                    }
                    case START_TAG -> {
                        if (quote != 0) {
                            if (b == quote) {
                                quote = 0;
                            }
                        } else if (b == '"' || b == '\'') {
                            quote = (byte) b;
                        } else if (b == '>') {
                            boolean empty = prev == '/';
                            if (targetTag) {
                                if (empty) {
                                    return new Insertion(pos - 1, true);
                                }
                                inTarget = true;
                                depth = 1;
                            } else if (inTarget && !empty) {
                                depth++;
                            }
                            targetTag = false;
                            state = State.TEXT;
                        }
                    }
                    case END_TAG -> {
                        if (b == '>') {
                            state = State.TEXT;
                        }
                    }
                    case BANG -> {
                        // "<!--" starts a comment, "<![CDATA[" a CDATA section; a DOCTYPE never gets here
                        bangSeen++;
                        if (bangSeen == 1) {
                            state = b == '-' ? State.BANG : State.CDATA;
                        } else {
                            state = State.COMMENT;
                            prev = 0;
                            prev2 = 0;
                            continue;
                        }
                    }
                    case COMMENT -> {
                        if (b == '>' && prev == '-' && prev2 == '-') {
                            state = State.TEXT;
                        }
                    }
                    case CDATA -> {
                        // the "[CDATA[" opener cannot contain "]]>", so scanning from its first byte is safe
                        if (b == '>' && prev == ']' && prev2 == ']') {
                            state = State.TEXT;
                        }
                    }
                    case PI -> {
                        if (b == '>' && prev == '?') {
                            state = State.TEXT;
                        }
                    }
                    default -> throw new IllegalStateException(state.toString());
                }
                prev2 = prev;
                prev = b;
            }
        }
        throw new IllegalStateException("element " + ordinal + " not found in the bytes; the document changed while"
                + " it was being signed");
    }
}
