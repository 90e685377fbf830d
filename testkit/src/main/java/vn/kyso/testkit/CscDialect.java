package vn.kyso.testkit;

import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import vn.kyso.internal.json.Json;
import vn.kyso.testkit.RemoteSigningSimulator.Reply;

/**
 * The Cloud Signature Consortium API v1 dialect (Viettel MySign / Ascertia RAS): {@code auth/login}
 * with HTTP Basic client credentials for a bearer token, {@code credentials/list},
 * {@code credentials/info}, {@code credentials/authorize} (held open until the person answers
 * in the app, then the SAD) and {@code signatures/signHash}.
 */
final class CscDialect extends JsonDialect {
    static final int MAX_DESCRIPTION = 200;
    static final int MAX_HASHES = 100;
    private static final String PREFIX = "/csc/v1/";
    private static final Set<String> RSA_ALGOS = Set.of("1.2.840.113549.1.1.1", "1.2.840.113549.1.1.11",
            "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13");
    private static final Set<String> EC_ALGOS = Set.of("1.2.840.10045.2.1", "1.2.840.10045.4.3.2",
            "1.2.840.10045.4.3.3", "1.2.840.10045.4.3.4");
    private static final Map<String, Integer> HASH_LENGTHS = Map.of("2.16.840.1.101.3.4.2.1", 32,
            "2.16.840.1.101.3.4.2.2", 48, "2.16.840.1.101.3.4.2.3", 64);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RemoteSigningSimulator sim;
    private final Map<String, Long> tokens = new ConcurrentHashMap<>();
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, SimTransaction> bySad = new ConcurrentHashMap<>();
    final AtomicInteger logins = new AtomicInteger();

    CscDialect(RemoteSigningSimulator sim) {
        super(PREFIX, "CSC", "method");
        this.sim = sim;
    }

    static String credentialId(SimulatedUser user) {
        return "cred-" + user.userId;
    }

    @Override
    Reply call(HttpExchange exchange, String method, Map<String, Object> req) {
        try {
            switch (method) {
                case "info":
                    return info();
                case "auth/login":
                    return login(exchange, req);
                default:
                    break;
            }
            if (!authorized(exchange)) {
                return error(401, "invalid_token", "the bearer token is missing, unknown or expired: log in again");
            }
            return switch (method) {
                case "auth/revoke" -> revoke(req);
                case "credentials/list" -> list(req);
                case "credentials/info" -> credentialInfo(req);
                case "credentials/authorize" -> authorize(req);
                case "credentials/cancel" -> cancel(req);
                case "signatures/signHash" -> signHash(req);
                default -> error(404, "invalid_request", "no CSC method " + method);
            };
        } catch (IllegalArgumentException e) {
            return error(400, "invalid_request", e.getMessage());
        }
    }

    private Reply info() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("specs", "1.0.4.0");
        m.put("name", "kyso remote-signing simulator");
        m.put("logo", "");
        m.put("region", "VN");
        m.put("lang", "vi-VN");
        m.put("description", "Simulated CSC v1 service with test keys");
        m.put("authType", List.of("basic"));
        m.put("methods", List.of("auth/login", "auth/revoke", "credentials/list", "credentials/info",
                "credentials/authorize", "signatures/signHash"));
        return ok(m, Duration.ZERO);
    }

    private Reply login(HttpExchange exchange, Map<String, Object> req) {
        String refresh = Json.optString(req, "refresh_token");
        boolean allowed;
        if (refresh != null) {
            allowed = refreshTokens.remove(refresh) != null;
        } else {
            String header = exchange.getRequestHeaders().getFirst("Authorization");
            allowed = false;
            if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
                try {
                    String pair = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                    int colon = pair.indexOf(':');
                    allowed = colon > 0 && sim.cscClientMatches(pair.substring(0, colon), pair.substring(colon + 1));
                } catch (IllegalArgumentException e) {
                    allowed = false;
                }
            }
        }
        if (!allowed) {
            return error(401, "invalid_client", "client_id / client_secret (HTTP Basic) or refresh_token is wrong");
        }
        logins.incrementAndGet();
        long now = System.nanoTime();
        tokens.values().removeIf(expiry -> expiry - now < 0);
        String token = randomToken();
        String refreshToken = randomToken();
        tokens.put(token, now + sim.tokenLifetime().toNanos());
        if (refreshTokens.size() > 10_000) {
            refreshTokens.clear();
        }
        refreshTokens.put(refreshToken, token);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("access_token", token);
        m.put("refresh_token", refreshToken);
        m.put("expires_in", Math.max(1, sim.tokenLifetime().toSeconds()));
        return ok(m, Duration.ZERO);
    }

    private Reply revoke(Map<String, Object> req) {
        String token = Json.optString(req, "token");
        if (token != null) {
            tokens.remove(token);
            refreshTokens.remove(token);
        }
        return new Reply(204, "application/json", new byte[0], Duration.ZERO, false, null);
    }

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        Long expiry = tokens.get(header.substring(7).trim());
        return expiry != null && expiry - System.nanoTime() > 0;
    }

    private Reply list(Map<String, Object> req) {
        SimulatedUser user = sim.findUser(Json.optString(req, "userID"));
        if (user == null) {
            return error(400, "invalid_request", "unknown userID " + Json.optString(req, "userID"));
        }
        Reply fault = fault(user);
        if (fault != null) {
            return fault;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("credentialIDs", List.of(credentialId(user)));
        return ok(m, user.behaviour().slowAnswer());
    }

    private Reply credentialInfo(Map<String, Object> req) {
        SimulatedUser user = credential(req);
        Reply fault = fault(user);
        if (fault != null) {
            return fault;
        }
        X509Certificate cert = user.identity.certificate();
        String mode = String.valueOf(Json.optString(req, "certificates"));
        List<Object> certs = new ArrayList<>();
        if (!mode.equals("none")) {
            for (X509Certificate c : mode.equals("single") ? List.of(cert) : user.identity.chain()) {
                certs.add(base64(c));
            }
        }
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("status", "enabled");
        key.put("algo", new ArrayList<>(user.isRsa() ? RSA_ALGOS : EC_ALGOS));
        key.put("len", user.isRsa() ? ((java.security.interfaces.RSAKey) user.identity.privateKey()).getModulus().bitLength()
                : ((java.security.interfaces.ECKey) user.identity.privateKey()).getParams().getCurve().getField().getFieldSize());
        Map<String, Object> certInfo = new LinkedHashMap<>();
        certInfo.put("status", user.identity.revokedAt().isPresent() ? "revoked" : "valid");
        certInfo.put("certificates", certs);
        certInfo.put("issuerDN", cert.getIssuerX500Principal().getName());
        certInfo.put("serialNumber", cert.getSerialNumber().toString(16));
        certInfo.put("subjectDN", cert.getSubjectX500Principal().getName());
        certInfo.put("validFrom", cert.getNotBefore().toInstant().toString());
        certInfo.put("validTo", cert.getNotAfter().toInstant().toString());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("description", "Chữ ký số từ xa của " + user.userId);
        m.put("key", key);
        m.put("cert", certInfo);
        m.put("authMode", "oauth2code");
        m.put("SCAL", "2");
        m.put("multisign", MAX_HASHES);
        m.put("lang", "vi-VN");
        return ok(m, user.behaviour().slowAnswer());
    }

    private Reply authorize(Map<String, Object> req) {
        SimulatedUser user = credential(req);
        if (user.identity.revokedAt().isPresent()) {
            return error(400, "invalid_request", "the certificate of credential " + credentialId(user) + " is revoked");
        }
        List<byte[]> hashes = hashes(req, "hash");
        int num = Json.integer(req, "numSignatures", -1);
        if (num != hashes.size()) {
            throw new IllegalArgumentException("numSignatures must equal the number of hash values");
        }
        String description = Json.optString(req, "description");
        description = description == null ? "" : description;
        if (description.length() > MAX_DESCRIPTION) {
            throw new IllegalArgumentException("description has " + description.length()
                    + " characters; the app shows at most " + MAX_DESCRIPTION);
        }
        user.submits.incrementAndGet();
        Reply fault = fault(user);
        if (fault != null) {
            return fault;
        }
        String clientData = Json.optString(req, "clientData");
        String key = "csc/" + credentialId(user) + "/" + (clientData == null ? randomToken() : clientData);
        List<String> docIds = new ArrayList<>();
        for (int i = 0; i < hashes.size(); i++) {
            docIds.add(Integer.toString(i + 1));
        }
        String shown = description;
        SimTransaction t = sim.register(key,
                () -> new SimTransaction(key, user, shown, docIds, hashes, false, sim.lifetimeNanos()));
        if (t == null) {
            return error(503, "temporarily_unavailable", "too many pending authorizations");
        }
        if (t.user == user && t.state() == SimTransaction.State.CANCELLED) {
            return error(400, "cancelled", "the authorization was cancelled");
        }
        if (t.user != user || !sameHashes(t.inputs, hashes)) {
            return error(400, "invalid_request", "clientData " + clientData + " was already used for other hashes");
        }
        boolean drop = user.dropThisSubmit();
        // held open until the person answers in the app, as the services' authorize does
        Reply reply = Reply.deferred(t.untilSettled(), () -> authorizeOutcome(t));
        return drop ? new Reply(200, "application/json", new byte[0], Duration.ZERO, true, null) : reply;
    }

    private Reply authorizeOutcome(SimTransaction t) {
        Duration late = t.user.behaviour().slowAnswer();
        return switch (t.state()) {
            case WAITING -> Reply.deferred(t.untilSettled(), () -> authorizeOutcome(t));
            case SIGNED -> {
                String sad = "SAD-" + t.id.hashCode() + "-" + Integer.toHexString(System.identityHashCode(t));
                bySad.putIfAbsent(sad, t);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("SAD", sad);
                m.put("expiresIn", Math.max(1, sim.lifetimeNanos() / 1_000_000_000L));
                yield ok(m, late);
            }
            case REJECTED -> error(400, "access_denied", "the user rejected the authorization in the app");
            case EXPIRED -> error(400, "expired_request", "the user did not answer before the request expired");
            case PIN_BLOCKED -> error(400, "pin_locked", "the signing PIN is locked");
            case CANCELLED -> error(400, "cancelled", "the authorization was cancelled");
            case UNREACHABLE -> error(400, "user_unreachable", "the user's device cannot be reached");
        };
    }

    private Reply cancel(Map<String, Object> req) {
        SimulatedUser user = credential(req);
        String clientData = Json.string(req, "clientData");
        String key = "csc/" + credentialId(user) + "/" + clientData;
        SimTransaction t = sim.transaction(key);
        if (t == null) {
            // the authorize may still be on its way: remember the cancellation so it prompts nobody
            sim.tombstone(key, SimTransaction.cancelledBeforeSubmit(key, user, sim.lifetimeNanos()));
            return new Reply(204, "application/json", new byte[0], Duration.ZERO, false, null);
        }
        t.cancel();
        return new Reply(204, "application/json", new byte[0], Duration.ZERO, false, null);
    }

    private Reply signHash(Map<String, Object> req) {
        SimulatedUser user = credential(req);
        Reply fault = fault(user);
        if (fault != null) {
            return fault;
        }
        String sad = Json.string(req, "SAD");
        SimTransaction t = bySad.get(sad);
        if (t == null || t.user != user) {
            return error(400, "invalid_request", "the SAD is unknown, expired or for another credential");
        }
        if (System.nanoTime() - t.createdAt > 2 * sim.lifetimeNanos()) {
            bySad.remove(sad);
            return error(400, "invalid_request", "the SAD has expired");
        }
        List<byte[]> hashes = hashes(req, "hash");
        if (!sameHashes(t.inputs, hashes)) {
            return error(400, "invalid_request", "the hash values differ from those the user authorized");
        }
        String hashAlgo = Json.string(req, "hashAlgo");
        Integer length = HASH_LENGTHS.get(hashAlgo);
        if (length == null) {
            throw new IllegalArgumentException("hashAlgo " + hashAlgo + " is not SHA-256/384/512");
        }
        for (byte[] h : hashes) {
            if (h.length != length) {
                throw new IllegalArgumentException("a hash value does not have the length of hashAlgo " + hashAlgo);
            }
        }
        String signAlgo = Json.string(req, "signAlgo");
        if (!(user.isRsa() ? RSA_ALGOS : EC_ALGOS).contains(signAlgo)) {
            throw new IllegalArgumentException("signAlgo " + signAlgo + " does not fit this credential's key");
        }
        List<Object> values = new ArrayList<>();
        boolean corrupt = t.behaviour().corruptSignatures();
        for (byte[] h : hashes) {
            values.add(Base64.getEncoder().encodeToString(user.contain(h, user.signHash(h, corrupt),
                    t.behaviour().container())));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("signatures", values);
        return ok(m, user.behaviour().slowAnswer());
    }

    private SimulatedUser credential(Map<String, Object> req) {
        String id = Json.string(req, "credentialID");
        for (String userId : sim.userIds()) {
            SimulatedUser u = sim.findUser(userId);
            if (credentialId(u).equals(id)) {
                return u;
            }
        }
        throw new IllegalArgumentException("unknown credentialID " + id);
    }

    private static List<byte[]> hashes(Map<String, Object> req, String key) {
        List<Object> raw = Json.array(req, key);
        if (raw.isEmpty() || raw.size() > MAX_HASHES) {
            throw new IllegalArgumentException(key + " must hold 1 to " + MAX_HASHES + " values");
        }
        List<byte[]> out = new ArrayList<>();
        for (Object o : raw) {
            if (!(o instanceof String s)) {
                throw new IllegalArgumentException(key + " values must be base64 strings");
            }
            byte[] h = Base64.getDecoder().decode(s);
            if (SimulatedUser.digestOfLength(h.length) == null) {
                throw new IllegalArgumentException("a " + key + " value of " + h.length + " bytes is no SHA-2 hash");
            }
            out.add(h);
        }
        return out;
    }

    private static Reply fault(SimulatedUser user) {
        if (user.serverErrorNow()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("error", "server_error");
            m.put("error_description", "simulated server error");
            return Reply.json(500, Json.write(m), user.behaviour().slowAnswer());
        }
        return null;
    }

    private static String randomToken() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static Reply ok(Map<String, Object> body, Duration hold) {
        return Reply.json(200, Json.write(body), hold);
    }

    @Override
    Reply refused(int status, String description) {
        return error(status, "invalid_request", description);
    }

    private static Reply error(int status, String error, String description) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", error);
        m.put("error_description", description);
        return Reply.json(status, Json.write(m), Duration.ZERO);
    }
}
