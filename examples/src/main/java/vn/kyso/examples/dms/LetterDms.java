package vn.kyso.examples.dms;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import vn.kyso.DigestAlgorithm;
import vn.kyso.Document;
import vn.kyso.KysoException;
import vn.kyso.PendingSignature;
import vn.kyso.SignOptions;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.SignatureFormat;

/**
 * A minimal document-management system: one page that signs a letter with the USB token on the
 * user's own PC through kyso-agent, while the letter stays on the server. The server prepares
 * the signature (the digest), the page has the agent sign the digest after the user's consent
 * and PIN, and the server completes the PDF.
 *
 * <p>Routes: {@code GET /} the page, {@code GET /kyso-agent.js} the client, {@code POST /prepare}
 * (form: {@code chain} = base64 certificates, comma-separated) answering the digest to sign,
 * {@code POST /complete} (form: {@code id}, {@code signature}), {@code GET /signed/ID.pdf}.
 */
public final class LetterDms implements AutoCloseable {
    private static final int MAX_BODY = 256 * 1024;
    private final HttpsServer server;
    private final SignatureFormat pades;
    private final byte[] letter;
    private final SignOptions options;
    private final Map<String, PendingSignature> pending = new ConcurrentHashMap<>();
    private final Map<String, byte[]> signed = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    private LetterDms(HttpsServer server, SignatureFormat pades, byte[] letter, SignOptions options) {
        this.server = server;
        this.pades = pades;
        this.letter = letter.clone();
        this.options = options;
    }

    /**
     * Serves the page over https at {@code address}.
     *
     * @param pades kyso's PAdES format ({@code kyso.format("pades")})
     * @param letter the PDF to be signed
     */
    public static LetterDms start(InetSocketAddress address, SSLContext tls, SignatureFormat pades, byte[] letter,
            SignOptions options) throws IOException {
        HttpsServer server = HttpsServer.create(address, 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        LetterDms dms = new LetterDms(server, pades, letter, options);
        server.createContext("/", dms::handle);
        server.start();
        return dms;
    }

    /** The page's address. */
    public URI url() {
        return URI.create("https://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/");
    }

    /** The signed letter of a completed signing, if any. */
    public Optional<byte[]> signed(String id) {
        return Optional.ofNullable(signed.get(id)).map(byte[]::clone);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals("/")) {
                send(exchange, 200, "text/html; charset=utf-8", resource("/vn/kyso/examples/dms/letter.html"));
            } else if (method.equals("GET") && path.equals("/kyso-agent.js")) {
                send(exchange, 200, "text/javascript", resource("/kyso-agent.js"));
            } else if (method.equals("POST") && path.equals("/prepare")) {
                prepare(exchange, form(exchange));
            } else if (method.equals("POST") && path.equals("/complete")) {
                complete(exchange, form(exchange));
            } else if (method.equals("GET") && path.startsWith("/signed/") && path.endsWith(".pdf")
                    && signed.containsKey(path.substring(8, path.length() - 4))) {
                send(exchange, 200, "application/pdf", signed.get(path.substring(8, path.length() - 4)));
            } else {
                json(exchange, 404, "{\"error\":\"not found\"}");
            }
        } catch (IllegalArgumentException e) {
            json(exchange, 400, "{\"error\":\"" + e.getMessage().replace("\"", "'") + "\"}");
        }
    }

    private void prepare(HttpExchange exchange, Map<String, String> form) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (String b64 : form.getOrDefault("chain", "").split(",")) {
                chain.add((X509Certificate) factory.generateCertificate(
                        new ByteArrayInputStream(Base64.getDecoder().decode(b64))));
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException("chain is not a list of base64 certificates");
        }
        SignatureAlgorithm algorithm = SignatureAlgorithm.forKey(chain.get(0).getPublicKey(), DigestAlgorithm.SHA256);
        PendingSignature p;
        try {
            p = pades.prepare(Document.of(letter, "cong-van-12.pdf"), chain, algorithm, options);
        } catch (KysoException e) {
            json(exchange, 422, "{\"error\":\"" + e.getMessage().replace("\"", "'") + "\"}");
            return;
        }
        byte[] id = new byte[12];
        random.nextBytes(id);
        String key = HexFormat.of().formatHex(id);
        pending.put(key, p);
        json(exchange, 200, "{\"id\":\"" + key + "\",\"algorithm\":\"" + algorithm.name() + "\",\"digest\":\""
                + Base64.getEncoder().encodeToString(p.request().digest(0)) + "\",\"title\":\"Công văn số 12/UBND-VP\","
                + "\"number\":\"12/UBND-VP\"}");
    }

    private void complete(HttpExchange exchange, Map<String, String> form) throws IOException {
        PendingSignature p = pending.remove(form.getOrDefault("id", ""));
        if (p == null) {
            throw new IllegalArgumentException("no signing under way with this id");
        }
        try (p) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            p.complete(Base64.getDecoder().decode(form.getOrDefault("signature", "")), out);
            String id = form.get("id");
            signed.put(id, out.toByteArray());
            json(exchange, 200, "{\"id\":\"" + id + "\",\"url\":\"/signed/" + id + ".pdf\"}");
        } catch (KysoException e) {
            json(exchange, 422, "{\"error\":\"" + e.getMessage().replace("\"", "'") + "\"}");
        }
    }

    private static Map<String, String> form(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            throw new IllegalArgumentException("the request is too large");
        }
        Map<String, String> out = new HashMap<>();
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = LetterDms.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is missing from the class path");
            }
            return in.readAllBytes();
        }
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "application/json; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
        pending.values().forEach(PendingSignature::close);
        pending.clear();
    }
}
