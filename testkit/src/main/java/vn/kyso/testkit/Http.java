package vn.kyso.testkit;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;

/** Small helpers for the loopback handlers: bounded request bodies and whole responses. */
final class Http {

    /** Largest request body accepted; TSA and OCSP requests are a few hundred bytes. */
    static final int MAX_BODY = 64 * 1024;

    private Http() {
    }

    /** Reads the request body, or returns null if it is larger than {@link #MAX_BODY}. */
    static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            return body.length > MAX_BODY ? null : body;
        }
    }

    /** True if the request's Content-Type, without parameters, is {@code mediaType}. */
    static boolean hasContentType(HttpExchange exchange, String mediaType) {
        String value = exchange.getRequestHeaders().getFirst("Content-Type");
        if (value == null) {
            return false;
        }
        int semicolon = value.indexOf(';');
        String type = (semicolon < 0 ? value : value.substring(0, semicolon)).trim();
        return type.toLowerCase(Locale.ROOT).equals(mediaType);
    }

    /** Sends a complete response; a null body sends none. */
    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (body == null || body.length == 0) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Sends a short plain-text error. */
    static void sendError(HttpExchange exchange, int status, String message) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8",
                message.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Decodes %XX escapes of a URL path segment without turning '+' into a space, because
     * Base64 text in OCSP GET requests uses '+' literally.
     */
    static String percentDecode(String raw) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    out.write(hi * 16 + lo);
                    i += 2;
                    continue;
                }
            }
            out.write(c);
        }
        return out.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
