package vn.kyso.agent;

import java.io.IOException;
import java.math.BigDecimal;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.kyso.DriverNotFoundException;
import vn.kyso.KeyNotFoundException;
import vn.kyso.KysoException;
import vn.kyso.PinExpiredException;
import vn.kyso.PinIncorrectException;
import vn.kyso.PinLockedException;
import vn.kyso.SignRequest;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.SigningTimeoutException;
import vn.kyso.TokenAbsentException;
import vn.kyso.TokenRemovedException;
import vn.kyso.UsageEvent;
import vn.kyso.UserRejectedException;
import vn.kyso.pdf.PadesOptions;

/**
 * The agent's requests and replies (agent/README.md): strict envelopes, one operation at a time
 * across all connections, a time limit per operation, the origin's first-use question, consent
 * and PIN for every signature or batch, and an audit line for everything that touched a token.
 */
final class Protocol implements AutoCloseable {
    static final int VERSION = 1;
    static final String AGENT_VERSION = "0.1.0";
    static final int MAX_BATCH = 100;
    static final int MAX_TEXT = 200;
    /** The operations whose messages carry a whole document and may pass 64 KiB. */
    static final List<String> DOCUMENT_OPERATIONS = List.of("signPdf", "signXml");
    private static final Logger LOG = LoggerFactory.getLogger(Protocol.class);

    /** A request refused with a protocol error code. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final ErrorCode code;

        Failure(ErrorCode code, String detail) {
            super(detail);
            this.code = code;
        }
    }

    private final Tokens tokens;
    private final Consent consent;
    private final Origins origins;
    private final AuditLog audit;
    private final Duration timeout;
    private final Semaphore oneAtATime = new Semaphore(1);
    private final ExecutorService worker = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kyso-agent-operation");
        t.setDaemon(true);
        return t;
    });
    /** Origins the user refused in this run: not asked again until the agent restarts or they are revoked. */
    private final Set<String> refused = new HashSet<>();

    Protocol(Tokens tokens, Consent consent, Origins origins, AuditLog audit, Duration timeout) {
        this.tokens = tokens;
        this.consent = consent;
        this.origins = origins;
        this.audit = audit;
        this.timeout = timeout;
    }

    /** The discovery document, also served over plain HTTP: nothing about the machine or its tokens. */
    static Map<String, Object> hello() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("agent", "kyso-agent");
        out.put("version", AGENT_VERSION);
        out.put("protocol", List.of(VERSION));
        out.put("capabilities", List.of("hello", "certificates", "chooseCertificate", "sign", "signBatch", "signPdf",
                "signXml"));
        out.put("maxBatch", MAX_BATCH);
        out.put("maxDocumentBytes", DocumentSigning.MAX_DOCUMENT);
        return out;
    }

    /**
     * Handles one message from {@code origin} (already checked against the allow-list) and hands
     * the reply text to {@code reply}, now or when the operation ends.
     */
    void handle(String origin, String message, Consumer<String> reply) {
        Object id = null;
        try {
            Map<String, Object> request = object(parse(message), "the message");
            id = request.get("id");
            if (!(id instanceof String s) || s.isEmpty() || s.length() > 64) {
                id = null;
                throw new Failure(ErrorCode.BAD_REQUEST, "'id' must be a string of 1 to 64 characters");
            }
            Object v = request.get("v");
            if (!(v instanceof BigDecimal version) || version.stripTrailingZeros().scale() > 0) {
                throw new Failure(ErrorCode.BAD_REQUEST, "'v' must be the protocol version number");
            }
            if (version.intValue() != VERSION || version.compareTo(BigDecimal.valueOf(VERSION)) != 0) {
                throw new Failure(ErrorCode.VERSION_MISMATCH, "version " + version + " is not spoken here");
            }
            String op = string(request, "op", true);
            Map<String, Object> params = new LinkedHashMap<>(request);
            params.remove("v");
            params.remove("id");
            params.remove("op");
            if (op.equals("hello")) {
                only(params, Set.of());
                reply.accept(ok(id, hello()));
                return;
            }
            if (!Set.of("certificates", "chooseCertificate", "sign", "signBatch", "signPdf", "signXml").contains(op)) {
                throw new Failure(ErrorCode.BAD_REQUEST, "unknown operation '" + op + "'");
            }
            if (message.length() > LoopbackServer.MAX_MESSAGE && !DOCUMENT_OPERATIONS.contains(op)) {
                // the socket lets a long message through only when it starts as a document request
                throw new Failure(ErrorCode.MESSAGE_TOO_LARGE, "");
            }
            if (!oneAtATime.tryAcquire()) {
                throw new Failure(ErrorCode.BUSY, "another operation is under way");
            }
            Object replyId = id;
            long deadline = System.nanoTime() + timeout.toNanos();
            CompletableFuture<Map<String, Object>> work;
            try {
                work = CompletableFuture.supplyAsync(() -> {
                    // released when the token work really ends, not when the page stops waiting,
                    // and before the reply is sent, so the page's next request is not BUSY
                    try {
                        return run(origin, op, params, deadline);
                    } catch (Failure f) {
                        throw new CompletionException(f);
                    } finally {
                        oneAtATime.release();
                    }
                }, worker);
            } catch (RuntimeException e) {
                oneAtATime.release();
                throw e;
            }
            work.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((result, error) -> {
                if (error == null) {
                    reply.accept(ok(replyId, result));
                } else {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    if (cause instanceof TimeoutException) {
                        audit.record(origin, op, null, null, ErrorCode.TIMED_OUT.name());
                        reply.accept(error(replyId, new Failure(ErrorCode.TIMED_OUT, "no answer within "
                                + timeout.toSeconds() + " s")));
                    } else if (cause instanceof Failure f) {
                        reply.accept(error(replyId, f));
                    } else {
                        LOG.error("operation {} failed", op, cause);
                        reply.accept(error(replyId, new Failure(ErrorCode.INTERNAL_ERROR, "")));
                    }
                }
            });
        } catch (Failure f) {
            reply.accept(error(id, f));
        } catch (RuntimeException e) {
            LOG.error("a request could not be handled", e);
            reply.accept(error(id, new Failure(ErrorCode.INTERNAL_ERROR, "")));
        }
    }

    private Map<String, Object> run(String origin, String op, Map<String, Object> params, long deadline)
            throws Failure {
        askOriginOnce(origin);
        if (op.equals("certificates")) {
            only(params, Set.of());
            try {
                List<Object> list = new ArrayList<>();
                for (Tokens.Key k : tokens.keys()) {
                    list.add(describe(k));
                }
                audit.record(origin, op, null, null, "OK");
                return Map.of("certificates", list);
            } catch (KysoException e) {
                Failure f = failure(e);
                audit.record(origin, op, null, null, f.code.name());
                throw f;
            }
        }
        if (op.equals("chooseCertificate")) {
            only(params, Set.of());
            return Map.of("certificate", describe(choose(origin, op)));
        }
        if (op.equals("signPdf")) {
            return signPdf(origin, op, params, deadline);
        }
        if (op.equals("signXml")) {
            return signXml(origin, op, params, deadline);
        }
        return sign(origin, op, params, deadline);
    }

    /** The one certificate the user picks in the agent's window; no question when there is only one. */
    private Tokens.Key choose(String origin, String op) throws Failure {
        List<Tokens.Key> keys;
        try {
            keys = tokens.keys();
        } catch (KysoException e) {
            Failure f = failure(e);
            audit.record(origin, op, null, null, f.code.name());
            throw f;
        }
        if (keys.isEmpty()) {
            audit.record(origin, op, null, null, ErrorCode.TOKEN_ABSENT.name());
            throw new Failure(ErrorCode.TOKEN_ABSENT, "no certificate on the plugged-in tokens");
        }
        int chosen = 0;
        if (keys.size() > 1) {
            List<Consent.Choice> choices = new ArrayList<>();
            for (Tokens.Key k : keys) {
                choices.add(new Consent.Choice(k.descriptor().certificate(), k.descriptor().label()));
            }
            chosen = consent.chooseCertificate(origin, choices);
            if (chosen < 0 || chosen >= keys.size()) {
                audit.record(origin, op, null, null, ErrorCode.USER_CANCELLED.name());
                throw new Failure(ErrorCode.USER_CANCELLED, "the user chose no certificate");
            }
        }
        Tokens.Key key = keys.get(chosen);
        if (op.equals("chooseCertificate")) {
            audit.record(origin, op, key.descriptor().certificate(), null, "OK");
        }
        return key;
    }

    /**
     * A whole PDF signed with one of kyso's PAdES roles (the VGCA shim's operations): the page
     * sends the PDF it fetched from its own origin; one consent and one PIN; the signed PDF comes
     * back for the page to upload to its own origin.
     */
    private Map<String, Object> signPdf(String origin, String op, Map<String, Object> params, long deadline)
            throws Failure {
        only(params, Set.of("certificate", "role", "document", "pdf", "downloadUrl", "uploadUrl"));
        DocumentSigning.Role role = DocumentSigning.Role.of(string(params, "role", true));
        if (role == null) {
            throw new Failure(ErrorCode.BAD_REQUEST, "'role' must be approved, issued, income, copy or appendix");
        }
        Map<String, Object> doc = object(params.get("document"), "'document'");
        only(doc, Set.of("title", "number", "date"));
        String title = string(doc, "title", true);
        String number = string(doc, "number", false);
        String date = string(doc, "date", false);
        for (String url : new String[] {"downloadUrl", "uploadUrl"}) {
            String value = params.containsKey(url) ? longString(params, url) : null;
            if (value != null && !sameOrigin(origin, value)) {
                // the shim checks this before any fetch; checked again where the Origin is known for sure
                audit.record(origin, op, null, null, ErrorCode.URL_NOT_ALLOWED.name());
                throw new Failure(ErrorCode.URL_NOT_ALLOWED, "");
            }
        }
        byte[] pdf = document(params, "pdf");
        List<byte[]> digests = List.of(sha256(pdf));
        PadesOptions options;
        try {
            options = DocumentSigning.options(pdf, title, role, number, date);
        } catch (KysoException e) {
            audit.record(origin, op, null, digests, ErrorCode.DOCUMENT_MALFORMED.name());
            throw new Failure(ErrorCode.DOCUMENT_MALFORMED, "");
        }
        Tokens.Key key = key(origin, op, params, digests);
        String shown = (number == null ? "" : number) + (date == null || date.isEmpty() ? ""
                : (number == null || number.isEmpty() ? "" : ", ") + date);
        String display = title.length() > MAX_TEXT ? title.substring(0, MAX_TEXT) : title;
        byte[] signed = signDocument(origin, op, key, role.wire, digests, deadline,
                new Consent.Document(title, shown.isEmpty() ? null : shown, role.label),
                signer -> DocumentSigning.sign(pdf, title, options, signer, display));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pdf", Base64.getEncoder().encodeToString(signed));
        out.put("number", number == null ? "" : number);
        out.put("date", date == null ? "" : date);
        out.put("certificate", describe(key));
        return out;
    }

    /**
     * A whole XML document signed with an enveloped XMLDSig (vgca_sign_xml): one consent and one
     * PIN; the signed XML comes back.
     */
    private Map<String, Object> signXml(String origin, String op, Map<String, Object> params, long deadline)
            throws Failure {
        only(params, Set.of("certificate", "document", "xml", "digest"));
        Map<String, Object> doc = object(params.get("document"), "'document'");
        only(doc, Set.of("title"));
        String title = string(doc, "title", true);
        vn.kyso.DigestAlgorithm digest = vn.kyso.DigestAlgorithm.SHA256;
        if (params.containsKey("digest")) {
            String name = string(params, "digest", true);
            if (!Set.of("SHA256", "SHA384", "SHA512").contains(name)) {
                throw new Failure(ErrorCode.UNSUPPORTED_ALGORITHM, "");
            }
            digest = vn.kyso.DigestAlgorithm.valueOf(name);
        }
        byte[] xml = document(params, "xml");
        List<byte[]> digests = List.of(sha256(xml));
        String root;
        try {
            root = DocumentSigning.xmlRoot(xml, title);
        } catch (KysoException e) {
            audit.record(origin, op, null, digests, ErrorCode.DOCUMENT_MALFORMED.name());
            throw new Failure(ErrorCode.DOCUMENT_MALFORMED, "");
        }
        Tokens.Key key = key(origin, op, params, digests);
        vn.kyso.DigestAlgorithm hash = digest;
        String display = title.length() > MAX_TEXT ? title.substring(0, MAX_TEXT) : title;
        byte[] signed = signDocument(origin, op, key, "xml", digests, deadline,
                new Consent.Document(title, null, "Ký XML / XML signature"),
                signer -> DocumentSigning.signXml(xml, title, root, hash, signer, display));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("xml", Base64.getEncoder().encodeToString(signed));
        out.put("certificate", describe(key));
        return out;
    }

    /** A document member in base64, within the cap. */
    private static byte[] document(Map<String, Object> params, String name) throws Failure {
        if (!(params.get(name) instanceof String base64)) {
            throw new Failure(ErrorCode.BAD_REQUEST, "'" + name + "' must be the document in standard base64");
        }
        if (base64.length() > 4L * ((DocumentSigning.MAX_DOCUMENT + 2) / 3)) {
            throw new Failure(ErrorCode.DOCUMENT_TOO_LARGE, "");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new Failure(ErrorCode.BAD_REQUEST, "'" + name + "' must be standard base64");
        }
        if (bytes.length > DocumentSigning.MAX_DOCUMENT) {
            throw new Failure(ErrorCode.DOCUMENT_TOO_LARGE, "");
        }
        return bytes;
    }

    /** The key the request names, or the one the user chooses when it names none. */
    private Tokens.Key key(String origin, String op, Map<String, Object> params, List<byte[]> digests) throws Failure {
        if (!params.containsKey("certificate")) {
            return choose(origin, op);
        }
        try {
            return tokens.find(string(params, "certificate", true));
        } catch (KysoException e) {
            Failure f = failure(e);
            audit.record(origin, op, null, digests, f.code.name());
            throw f;
        }
    }

    /** Consent and PIN for one document, then {@code work} with the open signer; audited and reported. */
    private byte[] signDocument(String origin, String op, Tokens.Key key, String role, List<byte[]> digests,
            long deadline, Consent.Document shown, Tokens.SignerWork<byte[]> work) throws Failure {
        X509Certificate certificate = key.descriptor().certificate();
        Instant start = audit.now();
        char[] pin = consent.approve(new Consent.SigningPrompt(origin, certificate, key.descriptor().label(),
                List.of(shown)));
        if (pin == null) {
            audit.record(origin, op, certificate, digests, ErrorCode.USER_CANCELLED.name());
            audit.report(certificate, role, 1, UsageEvent.Outcome.REJECTED, start,
                    UserRejectedException.class.getSimpleName());
            throw new Failure(ErrorCode.USER_CANCELLED, "the user refused to sign");
        }
        if (System.nanoTime() - deadline > 0) {
            Arrays.fill(pin, '\0');
            audit.record(origin, op, certificate, digests, ErrorCode.TIMED_OUT.name());
            audit.report(certificate, role, 1, UsageEvent.Outcome.TIMED_OUT, start,
                    SigningTimeoutException.class.getSimpleName());
            throw new Failure(ErrorCode.TIMED_OUT, "the PIN came after the time limit");
        }
        byte[] signed;
        try {
            signed = tokens.withSigner(key, pin, work);
        } catch (KysoException e) {
            Failure f = failure(e);
            audit.record(origin, op, certificate, digests, f.code.name());
            audit.report(certificate, role, 1, e instanceof UserRejectedException
                    ? UsageEvent.Outcome.REJECTED : UsageEvent.Outcome.FAILED, start, e.getClass().getSimpleName());
            throw f;
        } catch (IOException | IllegalArgumentException e) {
            // a form field the number or date does not fit, or a document the reader takes but cannot sign
            LOG.info("signing {} failed: {}", shown.title(), e.getMessage());
            audit.record(origin, op, certificate, digests, ErrorCode.DOCUMENT_MALFORMED.name());
            audit.report(certificate, role, 1, UsageEvent.Outcome.FAILED, start, e.getClass().getSimpleName());
            throw new Failure(ErrorCode.DOCUMENT_MALFORMED, "");
        }
        audit.record(origin, op, certificate, digests, "OK");
        audit.report(certificate, role, 1, UsageEvent.Outcome.SIGNED, start, "");
        return signed;
    }

    /** Whether {@code url} is an https address on exactly {@code origin} (no user info). */
    static boolean sameOrigin(String origin, String url) {
        try {
            java.net.URI u = new java.net.URI(url);
            if (!"https".equalsIgnoreCase(u.getScheme()) || u.getRawUserInfo() != null || u.getHost() == null) {
                return false;
            }
            int port = u.getPort() == 443 ? -1 : u.getPort();
            String of = "https://" + u.getHost().toLowerCase(Locale.ROOT) + (port == -1 ? "" : ":" + port);
            return of.equals(origin);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** A string member of up to 2048 characters (an address). */
    private static String longString(Map<String, Object> m, String name) throws Failure {
        if (!(m.get(name) instanceof String s) || s.length() > 2048) {
            throw new Failure(ErrorCode.BAD_REQUEST, "'" + name + "' must be a string of at most 2048 characters");
        }
        return s;
    }

    private void askOriginOnce(String origin) throws Failure {
        if (origins.isGranted(origin)) {
            return;
        }
        synchronized (refused) {
            if (refused.contains(origin)) {
                throw new Failure(ErrorCode.ORIGIN_NOT_ALLOWED, "the user refused this site earlier");
            }
        }
        if (!consent.allowOrigin(origin)) {
            synchronized (refused) {
                refused.add(origin);
            }
            audit.record(origin, "allowOrigin", null, null, ErrorCode.ORIGIN_NOT_ALLOWED.name());
            throw new Failure(ErrorCode.ORIGIN_NOT_ALLOWED, "the user refused this site");
        }
        try {
            origins.grant(origin);
        } catch (IOException e) {
            LOG.warn("cannot remember that {} was allowed; it will be asked again", origin, e);
        }
        audit.record(origin, "allowOrigin", null, null, "OK");
    }

    /** Lets the user be asked again about an origin they refused or allowed. */
    void revoke(String origin) throws IOException {
        synchronized (refused) {
            refused.remove(origin);
        }
        origins.revoke(origin);
    }

    private Map<String, Object> sign(String origin, String op, Map<String, Object> params, long deadline)
            throws Failure {
        boolean batch = op.equals("signBatch");
        only(params, batch ? Set.of("certificate", "algorithm", "items") : Set.of("certificate", "algorithm", "digest",
                "document"));
        String certificateId = string(params, "certificate", true);
        SignatureAlgorithm algorithm;
        try {
            algorithm = SignatureAlgorithm.valueOf(string(params, "algorithm", true));
        } catch (IllegalArgumentException e) {
            throw new Failure(ErrorCode.UNSUPPORTED_ALGORITHM, "unknown algorithm");
        }
        List<Map<String, Object>> items = new ArrayList<>();
        if (batch) {
            if (!(params.get("items") instanceof List<?> list) || list.isEmpty() || list.size() > MAX_BATCH) {
                throw new Failure(ErrorCode.BAD_REQUEST, "'items' must be a list of 1 to " + MAX_BATCH + " items");
            }
            for (Object item : list) {
                Map<String, Object> m = object(item, "an item");
                only(m, Set.of("digest", "document"));
                items.add(m);
            }
        } else {
            items.add(params);
        }
        List<byte[]> digests = new ArrayList<>();
        List<Consent.Document> documents = new ArrayList<>();
        for (Map<String, Object> item : items) {
            byte[] digest;
            try {
                digest = Base64.getDecoder().decode(string(item, "digest", true));
            } catch (IllegalArgumentException e) {
                throw new Failure(ErrorCode.BAD_REQUEST, "'digest' must be standard base64");
            }
            if (digest.length != algorithm.digest().length()) {
                throw new Failure(ErrorCode.BAD_REQUEST, "a digest of " + digest.length + " bytes does not fit "
                        + algorithm);
            }
            digests.add(digest);
            Map<String, Object> doc = object(item.get("document"), "'document'");
            only(doc, Set.of("title", "number", "role"));
            documents.add(new Consent.Document(string(doc, "title", true), string(doc, "number", false),
                    string(doc, "role", false)));
        }
        Tokens.Key key;
        try {
            key = tokens.find(certificateId);
        } catch (KysoException e) {
            Failure f = failure(e);
            audit.record(origin, op, null, digests, f.code.name());
            throw f;
        }
        X509Certificate certificate = key.descriptor().certificate();
        String role = documents.get(0).role();
        Instant start = audit.now();
        char[] pin = consent.approve(new Consent.SigningPrompt(origin, certificate, key.descriptor().label(),
                documents));
        if (pin == null) {
            audit.record(origin, op, certificate, digests, ErrorCode.USER_CANCELLED.name());
            audit.report(certificate, role, digests.size(), UsageEvent.Outcome.REJECTED, start,
                    UserRejectedException.class.getSimpleName());
            throw new Failure(ErrorCode.USER_CANCELLED, "the user refused to sign");
        }
        if (System.nanoTime() - deadline > 0) {
            // the page was told TIMED_OUT already: a PIN typed after that signs nothing
            Arrays.fill(pin, '\0');
            audit.record(origin, op, certificate, digests, ErrorCode.TIMED_OUT.name());
            audit.report(certificate, role, digests.size(), UsageEvent.Outcome.TIMED_OUT, start,
                    SigningTimeoutException.class.getSimpleName());
            throw new Failure(ErrorCode.TIMED_OUT, "the PIN came after the time limit");
        }
        Consent.Document first = documents.get(0);
        String display = first.title() + (first.number() == null ? "" : " (" + first.number() + ")")
                + (documents.size() > 1 ? " +" + (documents.size() - 1) : "");
        if (display.length() > MAX_TEXT) {
            display = display.substring(0, MAX_TEXT);
        }
        List<byte[]> values;
        try {
            values = tokens.sign(key, SignRequest.batch(algorithm, digests, display).forDocument("agent",
                    role == null ? "" : role), pin);
        } catch (KysoException e) {
            Failure f = failure(e);
            audit.record(origin, op, certificate, digests, f.code.name());
            audit.report(certificate, role, digests.size(), e instanceof UserRejectedException
                    ? UsageEvent.Outcome.REJECTED : UsageEvent.Outcome.FAILED, start, e.getClass().getSimpleName());
            throw f;
        }
        audit.record(origin, op, certificate, digests, "OK");
        audit.report(certificate, role, digests.size(), UsageEvent.Outcome.SIGNED, start, "");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("algorithm", algorithm.name());
        if (batch) {
            out.put("signatures", values.stream().map(v -> (Object) Base64.getEncoder().encodeToString(v)).toList());
        } else {
            out.put("signature", Base64.getEncoder().encodeToString(values.get(0)));
        }
        return out;
    }

    private static Map<String, Object> describe(Tokens.Key k) throws Failure {
        X509Certificate c = k.descriptor().certificate();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", k.id());
        out.put("label", k.descriptor().label());
        out.put("subject", c.getSubjectX500Principal().getName());
        out.put("issuer", c.getIssuerX500Principal().getName());
        out.put("serial", c.getSerialNumber().toString(16));
        out.put("notBefore", c.getNotBefore().toInstant().toString());
        out.put("notAfter", c.getNotAfter().toInstant().toString());
        List<Object> chain = new ArrayList<>();
        try {
            for (X509Certificate x : k.descriptor().chain()) {
                chain.add(Base64.getEncoder().encodeToString(x.getEncoded()));
            }
        } catch (CertificateEncodingException e) {
            throw new Failure(ErrorCode.INTERNAL_ERROR, "a certificate cannot be encoded");
        }
        out.put("certificate", chain.get(0));
        out.put("chain", chain);
        out.put("keyType", c.getPublicKey().getAlgorithm().toUpperCase(Locale.ROOT));
        return out;
    }

    static Failure failure(KysoException e) {
        ErrorCode code;
        if (e instanceof UserRejectedException) {
            code = ErrorCode.USER_CANCELLED;
        } else if (e instanceof SigningTimeoutException) {
            code = ErrorCode.TIMED_OUT;
        } else if (e instanceof TokenAbsentException || e instanceof TokenRemovedException) {
            code = ErrorCode.TOKEN_ABSENT;
        } else if (e instanceof PinLockedException) {
            code = ErrorCode.PIN_LOCKED;
        } else if (e instanceof PinIncorrectException) {
            code = ErrorCode.PIN_INCORRECT;
        } else if (e instanceof PinExpiredException) {
            code = ErrorCode.PIN_EXPIRED;
        } else if (e instanceof KeyNotFoundException) {
            code = ErrorCode.CERTIFICATE_NOT_FOUND;
        } else if (e instanceof DriverNotFoundException) {
            code = ErrorCode.DRIVER_NOT_FOUND;
        } else if (e instanceof Tokens.UnsupportedAlgorithm) {
            code = ErrorCode.UNSUPPORTED_ALGORITHM;
        } else if (e instanceof vn.kyso.DocumentMalformedException) {
            code = ErrorCode.DOCUMENT_MALFORMED;
        } else {
            code = ErrorCode.SIGNING_FAILED;
        }
        LOG.info("operation failed with {}: {}", code, e.getMessage());
        // the driver's own message names local paths: the page gets the code and a fixed text only
        return new Failure(code, "");
    }

    private static Object parse(String message) throws Failure {
        try {
            return Json.parse(message);
        } catch (Json.SyntaxException e) {
            throw new Failure(ErrorCode.BAD_REQUEST, e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String what) throws Failure {
        if (!(value instanceof Map<?, ?>)) {
            throw new Failure(ErrorCode.BAD_REQUEST, what + " must be a JSON object");
        }
        return (Map<String, Object>) value;
    }

    private static String string(Map<String, Object> m, String name, boolean required) throws Failure {
        Object v = m.get(name);
        if (v == null && !required && !m.containsKey(name)) {
            return null;
        }
        if (!(v instanceof String s) || (required && s.isBlank()) || s.length() > MAX_TEXT) {
            throw new Failure(ErrorCode.BAD_REQUEST, "'" + name + "' must be a string of at most " + MAX_TEXT
                    + " characters" + (required ? ", not empty" : ""));
        }
        return s;
    }

    private static void only(Map<String, Object> m, Set<String> names) throws Failure {
        for (String k : m.keySet()) {
            if (!names.contains(k)) {
                throw new Failure(ErrorCode.BAD_REQUEST, "unknown member '" + k + "'");
            }
        }
    }

    private static String ok(Object id, Map<String, Object> result) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("v", VERSION);
        out.put("id", id);
        out.put("ok", true);
        out.put("result", result);
        return Json.write(out);
    }

    static String error(Object id, Failure f) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", f.code.name());
        error.put("message", f.code.message);
        if (f.code == ErrorCode.BAD_REQUEST && f.getMessage() != null && !f.getMessage().isEmpty()) {
            error.put("detail", f.getMessage());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("v", VERSION);
        out.put("id", id);
        out.put("ok", false);
        out.put("error", error);
        return Json.write(out);
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
