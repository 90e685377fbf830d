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

    private enum State { TEXT, LT, NAME, START_TAG, END_TAG, BANG, COMMENT, CDATA, PI }

    private State state = State.TEXT;
    private final byte[] name = new byte[MAX_NAME];
    private int nameLength;
    private boolean nameTooLong;
    private byte quote;
    private int prev;
    private int prev2;
    private int bangSeen;
    /** Inside a capped element: its name, its cap, bytes counted so far and the element depth within it. */
    private String capped;
    private int cap;
    private long counted;
    private int depth;
    private boolean pendingCap;
    private String pendingName;

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
            scan(b);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        for (int i = 0; i < n; i++) {
            scan(b[off + i] & 0xFF);
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

    private void scan(int b) throws Exceeded {
        if (capped != null && ++counted > cap) {
            throw new Exceeded(capped, cap);
        }
        switch (state) {
            case TEXT -> {
                if (b == '<') {
                    state = State.LT;
                }
            }
            case LT -> {
                if (b == '/') {
                    state = State.END_TAG;
                    if (capped != null && --depth == 0) {
                        capped = null;
                    }
                } else if (b == '!') {
                    state = State.BANG;
                    bangSeen = 0;
                } else if (b == '?') {
                    state = State.PI;
                } else {
                    state = State.NAME;
                    nameLength = 0;
                    nameTooLong = false;
                    name(b);
                }
            }
            case NAME -> {
                if (b == '>' || b == '/' || b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                    startTagNamed();
                    state = State.START_TAG;
                    quote = 0;
                    if (b == '>') {
                        startTagEnds(false);
                    }
                } else {
                    name(b);
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
                    startTagEnds(prev == '/');
                }
            }
            case END_TAG -> {
                if (b == '>') {
                    state = State.TEXT;
                }
            }
            case BANG -> {
                // "<!--" opens a comment, "<![CDATA[" a CDATA section; a DOCTYPE is refused by the parser
                if (++bangSeen == 1) {
                    state = b == '-' ? State.BANG : State.CDATA;
                } else {
                    state = State.COMMENT;
                    prev = 0;
                    prev2 = 0;
                    return;
                }
            }
            case COMMENT -> {
                if (b == '>' && prev == '-' && prev2 == '-') {
                    state = State.TEXT;
                }
            }
            case CDATA -> {
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

    private void name(int b) {
        if (nameLength < MAX_NAME) {
            name[nameLength++] = (byte) b;
        } else {
            nameTooLong = true;
        }
    }

    private void startTagNamed() {
        pendingCap = false;
        if (capped != null || nameTooLong) {
            return;
        }
        int start = 0;
        for (int i = 0; i < nameLength; i++) {
            if (name[i] == ':') {
                start = i + 1;
            }
        }
        String local = new String(name, start, nameLength - start, StandardCharsets.ISO_8859_1);
        Integer limit = CAPS.get(local);
        if (limit != null) {
            pendingCap = true;
            pendingName = local;
            cap = limit;
        }
    }

    private void startTagEnds(boolean empty) {
        state = State.TEXT;
        if (capped != null) {
            if (!empty) {
                depth++;
            }
        } else if (pendingCap && !empty) {
            capped = pendingName;
            counted = 0;
            depth = 1;
        }
        pendingCap = false;
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
