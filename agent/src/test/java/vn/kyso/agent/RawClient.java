package vn.kyso.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A test client over a plain socket, so the test decides every byte a browser or an attacker
 * would send: the Host and Origin headers, and WebSocket frames (masked or not).
 */
final class RawClient implements AutoCloseable {
    /** An HTTP response: status, headers (lower-case names) and body. */
    record Response(int status, Map<String, String> headers, String body) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final SecureRandom random = new SecureRandom();

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(30_000);
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawClient connect(String address, int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(address, port), 5_000);
        return new RawClient(s);
    }

    /** A WebSocket to the agent on 127.0.0.1:{@code port}, upgraded for {@code origin} (asserts the 101). */
    static RawClient webSocket(int port, String origin) throws IOException {
        RawClient c = connect("127.0.0.1", port);
        assertEquals(101, c.upgrade("127.0.0.1:" + port, origin).status());
        return c;
    }

    /** Sends one request message and returns the agent's reply, parsed. */
    @SuppressWarnings("unchecked")
    Map<String, Object> call(String message) throws Exception {
        send(message);
        return (Map<String, Object>) Json.parse(receive());
    }

    /** The result of a reply that must be a success. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> result(Map<String, Object> reply) {
        assertEquals(Boolean.TRUE, reply.get("ok"), () -> "a failure: " + reply);
        return (Map<String, Object>) reply.get("result");
    }

    /** The error code of a reply that must be a failure. */
    @SuppressWarnings("unchecked")
    static String errorCode(Map<String, Object> reply) {
        assertEquals(Boolean.FALSE, reply.get("ok"), () -> "a success: " + reply);
        return (String) ((Map<String, Object>) reply.get("error")).get("code");
    }

    /** A client over a socket already connected (a TLS one, for the wss:// port). */
    static RawClient over(Socket connected) throws IOException {
        return new RawClient(connected);
    }

    /** Sends a request head (lines without the final blank line) and reads the response head and body. */
    Response request(String... lines) throws IOException {
        out.write((String.join("\r\n", lines) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return readResponse();
    }

    /** The response to an upgrade request; after a 101 the socket speaks WebSocket. */
    Response upgrade(String host, String origin) throws IOException {
        byte[] key = new byte[16];
        random.nextBytes(key);
        StringBuilder req = new StringBuilder("GET /kyso/v1/ws HTTP/1.1\r\nHost: " + host + "\r\n");
        if (origin != null) {
            req.append("Origin: ").append(origin).append("\r\n");
        }
        req.append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
                .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(key)).append("\r\n\r\n");
        out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Response r = readResponse();
        if (r.status() == 101 && !WebSocket.accept(Base64.getEncoder().encodeToString(key))
                .equals(r.headers().get("sec-websocket-accept"))) {
            throw new IOException("wrong Sec-WebSocket-Accept");
        }
        return r;
    }

    private Response readResponse() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed before a complete response head");
            }
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                break;
            }
        }
        String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            if (c > 0) {
                headers.put(lines[i].substring(0, c).toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
            }
        }
        String body = "";
        if (status != 101 && headers.containsKey("content-length")) {
            body = new String(in.readNBytes(Integer.parseInt(headers.get("content-length"))), StandardCharsets.UTF_8);
        }
        return new Response(status, headers, body);
    }

    /** Sends one text message as a masked frame, as browsers must. */
    void send(String text) throws IOException {
        frame(0x81, text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** Sends one frame with the given first byte, masked or not. */
    void frame(int firstByte, byte[] payload, boolean masked) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(firstByte);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            f.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            f.write(maskBit | 126);
            f.write(payload.length >> 8);
            f.write(payload.length);
        } else {
            f.write(maskBit | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) payload.length >> (8 * i)));
            }
        }
        byte[] body = payload.clone();
        if (masked) {
            byte[] mask = new byte[4];
            random.nextBytes(mask);
            f.write(mask);
            for (int i = 0; i < body.length; i++) {
                body[i] ^= mask[i & 3];
            }
        }
        f.write(body);
        out.write(f.toByteArray());
        out.flush();
    }

    /** Writes bytes as they are: a frame head announcing more than is ever sent, for example. */
    void write(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    /** A frame from the server: opcode and payload. */
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    Frame readFrame() throws IOException {
        int b0 = in.read();
        int b1 = in.read();
        if (b0 < 0 || b1 < 0) {
            throw new IOException("the server closed the connection");
        }
        if ((b1 & 0x80) != 0) {
            throw new IOException("a server frame must not be masked");
        }
        long len = b1 & 0x7F;
        if (len == 126) {
            len = (in.read() << 8) | in.read();
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | in.read();
            }
        }
        return new Frame(b0 & 0x0F, in.readNBytes((int) len));
    }

    /** The next text message from the server. */
    String receive() throws IOException {
        Frame f = readFrame();
        if (f.opcode() != 1) {
            throw new IOException("expected a text frame, got opcode " + f.opcode());
        }
        return f.text();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
