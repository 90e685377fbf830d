package vn.kyso.agent;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The server side of one RFC 6455 connection after the handshake: text messages only, client
 * frames must be masked, messages are bounded, control frames are answered, and the close
 * handshake is completed. Reading is for one thread; sending is synchronized.
 */
final class WebSocket {
    static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    static final int OP_CONTINUATION = 0;
    static final int OP_TEXT = 1;
    static final int OP_BINARY = 2;
    static final int OP_CLOSE = 8;
    static final int OP_PING = 9;
    static final int OP_PONG = 10;
    static final int CLOSE_NORMAL = 1000;
    static final int CLOSE_PROTOCOL_ERROR = 1002;
    static final int CLOSE_UNSUPPORTED = 1003;
    static final int CLOSE_INVALID_DATA = 1007;
    static final int CLOSE_TOO_BIG = 1009;

    /** The peer broke the protocol; the connection is closed with {@link #code}. */
    static final class ProtocolException extends IOException {
        private static final long serialVersionUID = 1L;
        final int code;

        ProtocolException(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    /** The peer sent a close frame (already answered). */
    static final class Closed extends IOException {
        private static final long serialVersionUID = 1L;

        Closed() {
            super("closed by the peer");
        }
    }

    /** How many first bytes of a message decide whether it may be large. */
    static final int HEAD = 256;

    private final InputStream in;
    private final OutputStream out;
    private final int maxMessage;
    private final int maxLargeMessage;
    private final Predicate<byte[]> mayBeLarge;
    private boolean closeSent;

    WebSocket(InputStream in, OutputStream out, int maxMessage) {
        this(in, out, maxMessage, maxMessage, head -> false);
    }

    /**
     * A socket whose messages are at most {@code maxMessage} bytes, except those whose first
     * bytes {@code mayBeLarge} accepts, which may reach {@code maxLargeMessage}.
     */
    WebSocket(InputStream in, OutputStream out, int maxMessage, int maxLargeMessage, Predicate<byte[]> mayBeLarge) {
        this.in = in;
        this.out = out;
        this.maxMessage = maxMessage;
        this.maxLargeMessage = Math.max(maxMessage, maxLargeMessage);
        this.mayBeLarge = mayBeLarge;
    }

    /**
     * Accepts the first bytes of a message that begins as a request for one of {@code ops},
     * members in the order {@code {"v":1,"id":"…","op":"…",}: the framing rule for the large
     * messages of the document operations, so other messages are refused at 64 KiB, before they
     * are read whole.
     */
    static Predicate<byte[]> startsAs(String... ops) {
        StringBuilder names = new StringBuilder();
        for (String op : ops) {
            names.append(names.length() == 0 ? "" : "|").append(Pattern.quote(op));
        }
        Pattern start = Pattern.compile("^\\{\"v\":1,\"id\":\"[^\"\\\\]{1,64}\",\"op\":\"(?:" + names + ")\",");
        return head -> start.matcher(new String(head, StandardCharsets.ISO_8859_1)).find();
    }

    /** The Sec-WebSocket-Accept value for a client key. */
    static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    /**
     * The next complete text message, answering pings and skipping pongs on the way.
     *
     * @throws Closed when the peer closed (the close was answered)
     * @throws ProtocolException when the peer broke RFC 6455 or a limit (a close was sent)
     */
    String readMessage() throws IOException {
        ByteArrayOutputStream message = null;
        byte[] head = null;
        while (true) {
            int b0 = readByte();
            int b1 = readByte();
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            try {
                if ((b0 & 0x70) != 0) {
                    throw new ProtocolException(CLOSE_PROTOCOL_ERROR, "reserved bits set without an extension");
                }
                if ((b1 & 0x80) == 0) {
                    throw new ProtocolException(CLOSE_PROTOCOL_ERROR, "a client frame must be masked");
                }
                long length = b1 & 0x7F;
                if (length == 126) {
                    length = (readByte() << 8) | readByte();
                    if (length < 126) {
                        throw new ProtocolException(CLOSE_PROTOCOL_ERROR, "a length not in its shortest form");
                    }
                } else if (length == 127) {
                    length = 0;
                    for (int i = 0; i < 8; i++) {
                        length = (length << 8) | readByte();
                    }
                    if (length < 65536) {
                        throw new ProtocolException(CLOSE_PROTOCOL_ERROR, length < 0
                                ? "a negative frame length" : "a length not in its shortest form");
                    }
                }
                boolean control = opcode >= 8;
                if (control && (!fin || length > 125)) {
                    throw new ProtocolException(CLOSE_PROTOCOL_ERROR, "a fragmented or long control frame");
                }
                long total = length + (message == null ? 0 : message.size());
                if (!control && total > maxLargeMessage) {
                    throw new ProtocolException(CLOSE_TOO_BIG, "a message larger than " + maxLargeMessage + " bytes");
                }
                byte[] mask = readFully(4);
                byte[] payload = new byte[(int) length];
                // the first bytes of a message decide whether it may pass maxMessage: read them first,
                // so that another message is refused before the rest of it is read
                int first = opcode == OP_TEXT ? Math.min(payload.length, HEAD) : 0;
                readInto(payload, 0, first, mask);
                if (opcode == OP_TEXT) {
                    head = Arrays.copyOf(payload, first);
                }
                if (!control && total > maxMessage && (head == null || !mayBeLarge.test(head))) {
                    throw new ProtocolException(CLOSE_TOO_BIG, "a message larger than " + maxMessage + " bytes");
                }
                readInto(payload, first, payload.length - first, mask);
                switch (opcode) {
                    case OP_PING -> send(OP_PONG, payload);
                    case OP_PONG -> {
                        // unsolicited pongs are allowed and ignored
                    }
                    case OP_CLOSE -> {
                        answerClose(payload);
                        throw new Closed();
                    }
                    case OP_TEXT, OP_CONTINUATION -> {
                        if ((opcode == OP_TEXT) == (message != null)) {
                            throw new ProtocolException(CLOSE_PROTOCOL_ERROR, opcode == OP_TEXT
                                    ? "a new message inside a fragmented one" : "a continuation without a message");
                        }
                        if (message == null) {
                            message = new ByteArrayOutputStream();
                        }
                        message.write(payload);
                        if (fin) {
                            return utf8(message.toByteArray());
                        }
                    }
                    case OP_BINARY -> throw new ProtocolException(CLOSE_UNSUPPORTED, "binary messages are not spoken here");
                    default -> throw new ProtocolException(CLOSE_PROTOCOL_ERROR, "unknown opcode " + opcode);
                }
            } catch (ProtocolException e) {
                close(e.code, e.getMessage());
                throw e;
            }
        }
    }

    private void answerClose(byte[] payload) throws IOException {
        int code = CLOSE_NORMAL;
        if (payload.length == 1) {
            code = CLOSE_PROTOCOL_ERROR;
        } else if (payload.length >= 2) {
            int received = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
            boolean valid = (received >= 1000 && received <= 1003) || (received >= 1007 && received <= 1011)
                    || (received >= 3000 && received <= 4999);
            code = valid ? received : CLOSE_PROTOCOL_ERROR;
        }
        close(code, "");
    }

    private static String utf8(byte[] bytes) throws ProtocolException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(CLOSE_INVALID_DATA, "a text message that is not UTF-8");
        }
    }

    /** Sends one text message in one frame. */
    void sendText(String text) throws IOException {
        send(OP_TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a close frame once; later calls do nothing. */
    synchronized void close(int code, String reason) {
        if (closeSent) {
            return;
        }
        closeSent = true;
        byte[] why = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + Math.min(why.length, 120)];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(why, 0, payload, 2, payload.length - 2);
        try {
            writeFrame(OP_CLOSE, payload);
        } catch (IOException ignored) {
            // the peer is gone; the socket is closed by the caller
        }
    }

    private synchronized void send(int opcode, byte[] payload) throws IOException {
        if (closeSent) {
            throw new IOException("the connection is closing");
        }
        writeFrame(opcode, payload);
    }

    private void writeFrame(int opcode, byte[] payload) throws IOException {
        int n = payload.length;
        byte[] head;
        if (n < 126) {
            head = new byte[] {(byte) (0x80 | opcode), (byte) n};
        } else if (n < 65536) {
            head = new byte[] {(byte) (0x80 | opcode), 126, (byte) (n >> 8), (byte) n};
        } else {
            head = new byte[10];
            head[0] = (byte) (0x80 | opcode);
            head[1] = 127;
            for (int i = 0; i < 8; i++) {
                head[9 - i] = (byte) ((long) n >> (8 * i));
            }
        }
        out.write(head);
        out.write(payload);
        out.flush();
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the connection ended without a close frame");
        }
        return b;
    }

    /** Reads {@code n} bytes of a frame's payload into {@code buffer} at {@code offset} and unmasks them. */
    private void readInto(byte[] buffer, int offset, int n, byte[] mask) throws IOException {
        if (in.readNBytes(buffer, offset, n) != n) {
            throw new EOFException("the connection ended inside a frame");
        }
        for (int i = offset; i < offset + n; i++) {
            buffer[i] ^= mask[i & 3];
        }
    }

    private byte[] readFully(int n) throws IOException {
        byte[] out = in.readNBytes(n);
        if (out.length != n) {
            throw new EOFException("the connection ended inside a frame");
        }
        return out;
    }
}
