package vn.kyso.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The request line and headers of one HTTP/1.1 request, read strictly and with a size limit:
 * the agent answers only bodiless GET and OPTIONS requests, so nothing else is parsed.
 */
record HttpHead(String method, String target, Map<String, String> headers) {
    static final int MAX_HEAD = 8 * 1024;
    static final int MAX_HEADERS = 64;

    /** A request the agent refuses to parse; {@link #status} is the HTTP status to answer. */
    static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** The header's value (names are case-insensitive), or null. */
    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Whether a comma-separated header holds {@code token}, case-insensitively. */
    boolean headerHasToken(String name, String token) {
        String v = header(name);
        if (v == null) {
            return false;
        }
        for (String part : v.split(",")) {
            if (part.trim().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads up to the blank line ending the head. Returns null when the peer closed before
     * sending anything.
     */
    static HttpHead read(InputStream in) throws IOException, BadRequest {
        byte[] buf = new byte[MAX_HEAD];
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (n == 0) {
                    return null;
                }
                throw new BadRequest(400, "the request ended inside its head");
            }
            if (n == buf.length) {
                throw new BadRequest(431, "the request head is larger than " + MAX_HEAD + " bytes");
            }
            buf[n++] = (byte) b;
            if (n >= 4 && buf[n - 4] == '\r' && buf[n - 3] == '\n' && buf[n - 2] == '\r' && buf[n - 1] == '\n') {
                break;
            }
        }
        for (int i = 0; i < n; i++) {
            int b = buf[i] & 0xFF;
            if (b >= 0x80 || (b < 0x20 && b != '\r' && b != '\n' && b != '\t') || b == 0x7F) {
                throw new BadRequest(400, "the request head holds a byte that is not printable ASCII");
            }
        }
        String[] lines = new String(buf, 0, n - 4, StandardCharsets.US_ASCII).split("\r\n", -1);
        String[] request = lines[0].split(" ", -1);
        if (request.length != 3 || !request[2].equals("HTTP/1.1") || request[0].isEmpty()
                || !request[1].startsWith("/")) {
            throw new BadRequest(400, "the request line is not 'METHOD /path HTTP/1.1'");
        }
        if (lines.length - 1 > MAX_HEADERS) {
            throw new BadRequest(431, "more than " + MAX_HEADERS + " headers");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0 || line.contains("\n") || line.contains("\r")
                    || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new BadRequest(400, "a malformed header line");
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            if (!name.matches("[a-z0-9!#$%&'*+.^_`|~-]+")) {
                throw new BadRequest(400, "a malformed header name");
            }
            String value = line.substring(colon + 1).trim();
            String before = headers.putIfAbsent(name, value);
            if (before != null) {
                if (name.equals("host") || name.equals("origin") || name.equals("sec-websocket-key")
                        || name.equals("content-length")) {
                    throw new BadRequest(400, "the header " + name + " appears twice");
                }
                headers.put(name, before + ", " + value);
            }
        }
        if (headers.containsKey("transfer-encoding")
                || (headers.containsKey("content-length") && !headers.get("content-length").equals("0"))) {
            throw new BadRequest(413, "the agent accepts no request body over HTTP");
        }
        return new HttpHead(request[0], request[1], headers);
    }
}
