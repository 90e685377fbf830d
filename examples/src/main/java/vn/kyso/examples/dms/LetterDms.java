package vn.kyso.examples.dms;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
 * <p>Between its two requests the server keeps nothing in memory: the prepared signature is saved
 * ({@link PendingSignature#save()}) to a file of the data folder under a random id, and the
 * completion resumes it from there ({@link SignatureFormat#resume}), so the server may restart, or
 * another instance sharing the data folder may answer, while the user is at the agent's window.
 * The signed letters are kept in the data folder too.
 *
 * <p>Routes: {@code GET /} the page, {@code GET /kyso-agent.js} the client, {@code POST /prepare}
 * (form: {@code chain} = base64 certificates, comma-separated) answering the digest to sign,
 * {@code POST /complete} (form: {@code id}, {@code signature}), {@code GET /signed/ID.pdf}.
 */
public final class LetterDms implements AutoCloseable {
    private static final int MAX_BODY = 256 * 1024;
    /** How long a prepared signature waits for its value; older states are refused and deleted. */
    private static final Duration PENDING_LIFETIME = Duration.ofMinutes(30);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{24}");
    private static final String LETTER_NAME = "cong-van-12.pdf";
    private final HttpsServer server;
    private final SignatureFormat pades;
    private final byte[] letter;
    private final SignOptions options;
    private final Path pending;
    private final Path signed;
    private final SecureRandom random = new SecureRandom();

    private LetterDms(HttpsServer server, SignatureFormat pades, byte[] letter, SignOptions options, Path data)
            throws IOException {
        this.server = server;
        this.pades = pades;
        this.letter = letter.clone();
        this.options = options;
        this.pending = Files.createDirectories(data.resolve("pending"));
        this.signed = Files.createDirectories(data.resolve("signed"));
    }

    /**
     * Serves the page over https at {@code address}.
     *
     * @param pades kyso's PAdES format ({@code kyso.format("pades")})
     * @param letter the PDF to be signed
     * @param data the folder of the signings under way ({@code pending/}) and of the signed letters
     *     ({@code signed/}); instances sharing it (after a restart, or on several nodes) complete
     *     each other's signings
     */
    public static LetterDms start(InetSocketAddress address, SSLContext tls, SignatureFormat pades, byte[] letter,
            SignOptions options, Path data) throws IOException {
        HttpsServer server = HttpsServer.create(address, 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        LetterDms dms = new LetterDms(server, pades, letter, options, data);
        server.createContext("/", dms::handle);
        server.start();
        return dms;
    }

    /** The page's address. */
    public URI url() {
        return URI.create("https://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/");
    }

    /** The signed letter of a completed signing, if any. */
    public Optional<byte[]> signed(String id) throws IOException {
        if (!ID.matcher(id).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(signed.resolve(id + ".pdf")));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                route(exchange);
            } catch (IllegalArgumentException e) {
                // answered before the exchange is closed (a catch of the try-with-resources comes after it)
                json(exchange, 400, "{\"error\":\"" + e.getMessage().replace("\"", "'") + "\"}");
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
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
        } else if (method.equals("GET") && path.startsWith("/signed/") && path.endsWith(".pdf")) {
            Optional<byte[]> pdf = signed(path.substring(8, path.length() - 4));
            if (pdf.isPresent()) {
                send(exchange, 200, "application/pdf", pdf.get());
            } else {
                json(exchange, 404, "{\"error\":\"not found\"}");
            }
        } else {
            json(exchange, 404, "{\"error\":\"not found\"}");
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
        String key = newId();
        byte[] digest;
        try (PendingSignature p = pades.prepare(Document.of(letter, LETTER_NAME), chain, algorithm, options)) {
            digest = p.request().digest(0);
            forgetStale();
            Path state = Files.createTempFile(pending, ".", ".part");
            try {
                Files.write(state, p.save());
                Files.move(state, pending.resolve(key + ".state"), StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(state);
            }
        } catch (KysoException e) {
            json(exchange, 422, "{\"error\":\"" + e.getMessage().replace("\"", "'") + "\"}");
            return;
        }
        json(exchange, 200, "{\"id\":\"" + key + "\",\"algorithm\":\"" + algorithm.name() + "\",\"digest\":\""
                + Base64.getEncoder().encodeToString(digest) + "\",\"title\":\"Công văn số 12/UBND-VP\","
                + "\"number\":\"12/UBND-VP\"}");
    }

    private void complete(HttpExchange exchange, Map<String, String> form) throws IOException {
        String id = form.getOrDefault("id", "");
        byte[] value;
        try {
            value = Base64.getDecoder().decode(form.getOrDefault("signature", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("signature is not base64");
        }
        byte[] state = claim(id); // after the checks of the request: a malformed one leaves the signing under way
        Path part = Files.createTempFile(signed, ".", ".part");
        try {
            try (PendingSignature p = pades.resume(Document.of(letter, LETTER_NAME), state);
                    OutputStream out = Files.newOutputStream(part)) {
                p.complete(value, out);
            }
            Files.move(part, signed.resolve(id + ".pdf"), StandardCopyOption.ATOMIC_MOVE);
            json(exchange, 200, "{\"id\":\"" + id + "\",\"url\":\"/signed/" + id + ".pdf\"}");
        } catch (KysoException e) {
            json(exchange, 422, "{\"error\":\"" + e.getMessage().replace("\"", "'") + "\"}");
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private String newId() {
        byte[] id = new byte[12];
        random.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    /**
     * Takes the saved state of signing {@code id} out of the data folder: an atomic rename, so that
     * of two instances completing the same id only one gets it.
     */
    private byte[] claim(String id) throws IOException {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("no signing under way with this id");
        }
        Path claimed = pending.resolve(id + ".claimed-" + newId());
        try {
            Files.move(pending.resolve(id + ".state"), claimed, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException | FileAlreadyExistsException e) {
            throw new IllegalArgumentException("no signing under way with this id");
        }
        try {
            if (Files.getLastModifiedTime(claimed).toInstant().isBefore(Instant.now().minus(PENDING_LIFETIME))) {
                throw new IllegalArgumentException("this signing was prepared too long ago: sign again");
            }
            return Files.readAllBytes(claimed);
        } finally {
            Files.deleteIfExists(claimed);
        }
    }

    /** Deletes the states of signings abandoned long ago, so that the folder does not grow without end. */
    private void forgetStale() throws IOException {
        FileTime limit = FileTime.from(Instant.now().minus(PENDING_LIFETIME));
        try (Stream<Path> files = Files.list(pending)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                try {
                    if (Files.getLastModifiedTime(f).compareTo(limit) < 0) {
                        Files.deleteIfExists(f);
                    }
                } catch (NoSuchFileException e) {
                    // completed or cleaned by another instance meanwhile
                }
            }
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

    /** Stops serving; the signings under way stay in the data folder for the next instance. */
    @Override
    public void close() {
        server.stop(0);
    }
}
