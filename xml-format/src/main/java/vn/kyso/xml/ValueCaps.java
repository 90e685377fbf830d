package vn.kyso.xml;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Bounds the content of the signature elements that hold base64 values (SignatureValue,
 * X509Certificate, the XAdES encapsulated values, ...) while the document is parsed, so that a
 * 50 MB "signature value" inside a document under the size limit is refused before the DOM,
 * Santuario and the base64 decoder each hold a copy of it. The caps are far above anything a
 * real document carries (a signature value is a few hundred bytes, a certificate a few KB).
 *
 * <p>For documents whose markup is ASCII-compatible (UTF-8, ISO-8859-x, windows-125x: every
 * document in circulation) the check runs on the bytes as the parser reads them, at no extra
 * parse; other encodings (UTF-16, UTF-32, EBCDIC) are first scanned once with SAX, whose text
 * arrives in bounded chunks. Everything between an element's start and end tag is counted,
 * comments and CDATA included, matched by local name whatever the namespace.
 */
final class ValueCaps extends FilterInputStream {
    static final int SMALL = 64 << 10;
    static final int CERTIFICATE = 256 << 10;
    static final int TOKEN = 1 << 20;
    static final int CRL = 16 << 20;

    /** Local name to the most bytes (or characters) its content may take. */
    static final Map<String, Integer> CAPS = Map.ofEntries(
            Map.entry("SignatureValue", SMALL), Map.entry("DigestValue", SMALL),
            Map.entry("X509SubjectName", SMALL), Map.entry("X509IssuerName", SMALL),
            Map.entry("X509SerialNumber", SMALL), Map.entry("X509SKI", SMALL),
            Map.entry("Modulus", SMALL), Map.entry("Exponent", SMALL), Map.entry("SigningTime", SMALL),
            Map.entry("IssuerSerialV2", SMALL),
            Map.entry("X509Certificate", CERTIFICATE), Map.entry("EncapsulatedX509Certificate", CERTIFICATE),
            Map.entry("EncapsulatedTimeStamp", TOKEN), Map.entry("EncapsulatedOCSPValue", TOKEN),
            Map.entry("X509CRL", CRL), Map.entry("EncapsulatedCRLValue", CRL));

    private static final int MAX_NAME = 128;
    private static final byte[][] CAP_NAMES = CAPS.keySet().stream()
            .map(n -> n.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
    private static final int[] CAP_LIMITS = java.util.Arrays.stream(CAP_NAMES)
            .mapToInt(n -> CAPS.get(new String(n, StandardCharsets.US_ASCII))).toArray();
    private static final String[] CAP_STRINGS = java.util.Arrays.stream(CAP_NAMES)
            .map(n -> new String(n, StandardCharsets.US_ASCII)).toArray(String[]::new);
    /** Which local-name lengths a capped name has: most tags are told apart by length alone. */
    private static final boolean[] CAP_LENGTHS = new boolean[MAX_NAME + 1];

    static {
        for (byte[] n : CAP_NAMES) {
            CAP_LENGTHS[n.length] = true;
        }
    }

    /** An element's content went over its cap; parsing stops there. */
    static final class Exceeded extends IOException {
        private static final long serialVersionUID = 1L;
        final String element;
        final int cap;

        Exceeded(String element, int cap) {
            super(element + " holds more than " + cap + " bytes");
            this.element = element;
            this.cap = cap;
        }
    }

    private static final int TEXT = 0;
    private static final int LT = 1;
    private static final int NAME = 2;
    private static final int START_TAG = 3;
    private static final int BANG = 5;
    private static final int COMMENT = 6;
    private static final int CDATA = 7;
    private static final int PI = 8;

    private int state = TEXT;
    private final byte[] name = new byte[MAX_NAME];
    private int nameLength;
    private boolean nameTooLong;
    private byte quote;
    private int bangSeen;
    /** The last two bytes of the previous buffer, for end markers split across reads. */
    private byte last1;
    private byte last2;
    /** Inside a capped element: its name, its cap, bytes counted so far and the element depth within it. */
    private String capped;
    private int cap;
    private long counted;
    private int depth;
    private String pendingName;
    private int pendingCap;

    private ValueCaps(InputStream in) {
        super(in);
    }

    /**
     * The stream to hand the parser: {@code in} itself, checked as it is read, when its markup is
     * ASCII-compatible; otherwise {@code in} is first read to the end by a SAX scan of its
     * content, and {@code reopen} gives a fresh stream for the parser.
     *
     * @throws Exceeded when the SAX scan finds an element over its cap
     */
    static InputStream guard(InputStream in, Reopen reopen) throws IOException {
        InputStream buffered = in.markSupported() ? in : new java.io.BufferedInputStream(in, 1 << 16);
        buffered.mark(4);
        byte[] head = buffered.readNBytes(4);
        buffered.reset();
        if (asciiCompatible(head)) {
            return new ValueCaps(buffered);
        }
        try (InputStream scan = reopen.open()) {
            saxScan(scan);
        }
        return buffered;
    }

    /** Opens the same document again. */
    interface Reopen {
        InputStream open() throws IOException;
    }

    /** UTF-8 (with or without BOM) or a single-byte ASCII superset: the document starts with '<' or whitespace. */
    static boolean asciiCompatible(byte[] head) {
        if (head.length == 0) {
            return true;
        }
        int b = head[0] & 0xFF;
        if (b == 0xEF) {
            return true;
        }
        if (b == '<') {
            return head.length < 2 || head[1] != 0;
        }
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            scan(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            scan(b, off, off + n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] sink = new byte[(int) Math.min(n, 8192)];
        int read = read(sink, 0, sink.length);
        return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /**
     * Follows the markup of {@code b[off..end)} in tight loops over the runs that change nothing
     * (text, attribute values, comment and CDATA content), counting the bytes of a capped element's
     * content; a cap is enforced at the latest at the end of the buffer, before the parser sees it.
     */
    private void scan(byte[] b, int off, int end) throws Exceeded {
        int st = state;
        int i = off;
        int capStart = off;
        while (i < end) {
            switch (st) {
                case TEXT -> {
                    while (i < end && b[i] != '<') {
                        i++;
                    }
                    if (i < end) {
                        st = LT;
                        i++;
                    }
                }
                case LT -> {
                    byte c = b[i++];
                    if (c == '/') {
                        // an end tag holds no '<': the next one is markup again
                        st = TEXT;
                        if (capped != null && --depth == 0) {
                            counted += i - capStart;
                            check();
                            capped = null;
                        }
                    } else if (c == '!') {
                        st = BANG;
                        bangSeen = 0;
                    } else if (c == '?') {
                        st = PI;
                    } else {
                        // the name starts at this byte: NAME reads it from here
                        i--;
                        st = NAME;
                        nameLength = 0;
                        nameTooLong = false;
                    }
                }
                case NAME -> {
                    int from = i;
                    while (i < end && b[i] != '>' && b[i] != '/' && b[i] > ' ') {
                        i++;
                    }
                    if (i < end && nameLength == 0) {
                        // the whole name is in this buffer: matched in place
                        startTagNamed(b, from, i, i - from > MAX_NAME);
                    } else {
                        name(b, from, i);
                        if (i < end) {
                            startTagNamed(name, 0, nameLength, nameTooLong);
                        }
                    }
                    if (i < end) {
                        if (capped == null && pendingName == null) {
                            // outside a capped element only a capped start tag matters: an attribute
                            // value holds no '<' (the parser refuses one), so skip to the next markup
                            st = TEXT;
                        } else {
                            st = START_TAG;
                            quote = 0;
                        }
                    }
                }
                case START_TAG -> {
                    if (quote != 0) {
                        while (i < end && b[i] != quote) {
                            i++;
                        }
                        if (i < end) {
                            quote = 0;
                            i++;
                        }
                    } else {
                        while (i < end && b[i] != '"' && b[i] != '\'' && b[i] != '>') {
                            i++;
                        }
                        if (i < end) {
                            byte c = b[i];
                            if (c == '>') {
                                boolean empty = at(b, off, i - 1) == '/';
                                i++;
                                st = TEXT;
                                if (capped != null) {
                                    if (!empty) {
                                        depth++;
                                    }
                                } else if (pendingName != null && !empty) {
                                    capped = pendingName;
                                    cap = pendingCap;
                                    counted = 0;
                                    depth = 1;
                                    capStart = i;
                                }
                                pendingName = null;
                            } else {
                                quote = c;
                                i++;
                            }
                        }
                    }
                }
                case BANG -> {
                    // "<!--" opens a comment, "<![CDATA[" a CDATA section; a DOCTYPE is refused by the parser
                    byte c = b[i++];
                    if (++bangSeen == 1) {
                        st = c == '-' ? BANG : CDATA;
                    } else {
                        st = COMMENT;
                    }
                }
                default -> {
                    // COMMENT, CDATA and PI end at a '>' (after "--", "]]", '?')
                    while (i < end && b[i] != '>') {
                        i++;
                    }
                    if (i < end) {
                        byte p1 = at(b, off, i - 1);
                        boolean ends = switch (st) {
                            case COMMENT -> p1 == '-' && at(b, off, i - 2) == '-';
                            case CDATA -> p1 == ']' && at(b, off, i - 2) == ']';
                            case PI -> p1 == '?';
                            default -> true;
                        };
                        if (ends) {
                            st = TEXT;
                        }
                        i++;
                    }
                }
            }
        }
        if (capped != null) {
            counted += end - capStart;
            check();
        }
        last2 = end - 2 >= off ? b[end - 2] : last1;
        last1 = b[end - 1];
        state = st;
    }

    private byte at(byte[] b, int off, int k) {
        return k >= off ? b[k] : k == off - 1 ? last1 : last2;
    }

    private void check() throws Exceeded {
        if (counted > cap) {
            throw new Exceeded(capped, cap);
        }
    }

    private void name(byte[] b, int from, int to) {
        int n = Math.min(to - from, MAX_NAME - nameLength);
        System.arraycopy(b, from, name, nameLength, n);
        nameLength += n;
        if (n < to - from) {
            nameTooLong = true;
        }
    }

    /** Sets the pending cap when the tag name {@code n[from..to)} has a capped local name. */
    private void startTagNamed(byte[] n, int from, int to, boolean tooLong) {
        pendingName = null;
        if (capped != null || tooLong) {
            return;
        }
        int start = to;
        while (start > from && n[start - 1] != ':') {
            start--;
        }
        int length = to - start;
        if (length >= CAP_LENGTHS.length || !CAP_LENGTHS[length]) {
            return;
        }
        for (int k = 0; k < CAP_NAMES.length; k++) {
            if (CAP_NAMES[k].length == length && java.util.Arrays.equals(CAP_NAMES[k], 0, length, n, start, to)) {
                pendingName = CAP_STRINGS[k];
                pendingCap = CAP_LIMITS[k];
                return;
            }
        }
    }

    /** Reads a document not in an ASCII-compatible encoding with SAX, counting the characters in capped elements. */
    private static void saxScan(InputStream in) throws IOException {
        try {
            SAXParserFactory f = SAXParserFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(javax.xml.XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.newSAXParser().parse(in, new DefaultHandler() {
                private String capped;
                private int limit;
                private long counted;
                private int depth;

                @Override
                public void startElement(String uri, String local, String qName, Attributes atts) {
                    if (capped != null) {
                        depth++;
                    } else if (CAPS.containsKey(local)) {
                        capped = local;
                        limit = CAPS.get(local);
                        counted = 0;
                        depth = 1;
                    }
                }

                @Override
                public void endElement(String uri, String local, String qName) {
                    if (capped != null && --depth == 0) {
                        capped = null;
                    }
                }

                @Override
                public void characters(char[] ch, int start, int length) throws SAXException {
                    if (capped != null && (counted += length) > limit) {
                        throw new SAXException(new Exceeded(capped, limit));
                    }
                }
            });
        } catch (SAXException e) {
            if (e.getException() instanceof Exceeded x) {
                throw x;
            }
            // not well-formed: the DOM parser says so with its own message
        } catch (javax.xml.parsers.ParserConfigurationException e) {
            throw new IOException(e);
        }
    }
}
