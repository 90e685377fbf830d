package vn.kyso.testkit;

import com.sun.net.httpserver.HttpExchange;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import vn.kyso.internal.json.Json;
import vn.kyso.testkit.RemoteSigningSimulator.Reply;

/**
 * The SP769 / NEAC eSign dialect (VNPT SmartCA, Circular 15/2025 Appendix III): POST + JSON,
 * service-provider credentials in every body, certificates by {@code get_certificate}, a
 * {@code sign} that answers "waiting for user confirmation" and a {@code status} to poll.
 */
final class Sp769Dialect extends JsonDialect {
    static final int MAX_DESC = 200;
    static final int MAX_FILES = 100;
    static final String WAITING = "sig_wait_for_user_confirm";
    private static final Pattern TRANSACTION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final DateTimeFormatter TIME_STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final String PREFIX = "/sp769/v1/";

    private final RemoteSigningSimulator sim;

    Sp769Dialect(RemoteSigningSimulator sim) {
        super(PREFIX, "SP769", "endpoint");
        this.sim = sim;
    }

    @Override
    Reply call(HttpExchange exchange, String rest, Map<String, Object> req) {
        if (!sim.spCredentialsMatch(Json.optString(req, "sp_id"), Json.optString(req, "sp_password"))) {
            return error(401, "SP_CREDENTIAL_INVALID", "sp_id or sp_password is wrong");
        }
        try {
            if (rest.equals("credentials/get_certificate")) {
                return getCertificate(req);
            }
            if (rest.equals("signatures/sign")) {
                return sign(req);
            }
            if (rest.startsWith("signatures/sign/") && rest.endsWith("/status")) {
                return status(rest.substring("signatures/sign/".length(), rest.length() - "/status".length()));
            }
            if (rest.startsWith("signatures/sign/") && rest.endsWith("/cancel")) {
                return cancel(rest.substring("signatures/sign/".length(), rest.length() - "/cancel".length()));
            }
        } catch (IllegalArgumentException e) {
            return error(400, "BAD_REQUEST", e.getMessage());
        }
        return refused(404, "no SP769 endpoint at " + PREFIX + rest);
    }

    @Override
    Reply refused(int status, String description) {
        return error(status, status == 405 ? "METHOD_NOT_ALLOWED" : status == 404 ? "NOT_FOUND" : "BAD_REQUEST", description);
    }

    private Reply getCertificate(Map<String, Object> req) {
        SimulatedUser user = sim.findUser(Json.optString(req, "user_id"));
        if (user == null) {
            return error(404, "USER_NOT_FOUND", "no credential for user_id " + Json.optString(req, "user_id"));
        }
        Reply fault = fault(user);
        if (fault != null) {
            return fault;
        }
        String serial = Json.optString(req, "serial_number");
        X509Certificate cert = user.identity.certificate();
        List<Object> certs = new ArrayList<>();
        if (serial == null || serial.isEmpty() || serial.equalsIgnoreCase(serialOf(cert))) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("service_type", "SMARTCA");
            c.put("service_name", "Simulated remote signing");
            c.put("cert_id", user.userId + "-" + serialOf(cert));
            c.put("cert_status", certStatus(user));
            c.put("serial_number", serialOf(cert));
            c.put("cert_subject", cert.getSubjectX500Principal().getName());
            c.put("cert_valid_from", cert.getNotBefore().toInstant().toString());
            c.put("cert_valid_to", cert.getNotAfter().toInstant().toString());
            c.put("cert_data", base64(cert));
            Map<String, Object> chain = new LinkedHashMap<>();
            List<X509Certificate> full = user.identity.chainWithRoot();
            chain.put("ca_cert", full.size() > 1 ? base64(full.get(1)) : null);
            chain.put("root_cert", base64(user.identity.root()));
            c.put("chain_data", chain);
            certs.add(c);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("user_certificates", certs);
        return ok("SUCCESS", data, user);
    }

    private Reply sign(Map<String, Object> req) {
        SimulatedUser user = sim.findUser(Json.optString(req, "user_id"));
        if (user == null) {
            return error(404, "USER_NOT_FOUND", "no credential for user_id " + Json.optString(req, "user_id"));
        }
        String serial = Json.optString(req, "serial_number");
        if (serial != null && !serial.isEmpty() && !serial.equalsIgnoreCase(serialOf(user.identity.certificate()))) {
            return error(404, "CREDENTIAL_NOT_FOUND", "user " + user.userId + " has no certificate " + serial);
        }
        if (!"ACTIVE".equals(certStatus(user))) {
            return error(403, "CREDENTIAL_STATUS_INVALID", "the certificate of " + user.userId + " is "
                    + certStatus(user).toLowerCase(java.util.Locale.ROOT));
        }
        String transactionId = Json.string(req, "transaction_id");
        if (!TRANSACTION_ID.matcher(transactionId).matches()) {
            throw new IllegalArgumentException("transaction_id must be 1 to 64 of [A-Za-z0-9._:-]");
        }
        String desc = Json.optString(req, "transaction_desc");
        desc = desc == null ? "" : desc;
        if (desc.length() > MAX_DESC) {
            throw new IllegalArgumentException("transaction_desc has " + desc.length() + " characters; the app shows at most "
                    + MAX_DESC);
        }
        String timeStamp = Json.optString(req, "time_stamp");
        if (timeStamp != null) {
            try {
                LocalDateTime.parse(timeStamp.endsWith("Z") ? timeStamp.substring(0, timeStamp.length() - 1) : timeStamp,
                        TIME_STAMP);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("time_stamp must be yyyyMMddHHmmss");
            }
        }
        List<Object> files = Json.array(req, "sign_files");
        if (files.isEmpty() || files.size() > MAX_FILES) {
            throw new IllegalArgumentException("sign_files must hold 1 to " + MAX_FILES + " files");
        }
        List<String> docIds = new ArrayList<>();
        List<byte[]> hashes = new ArrayList<>();
        for (Object o : files) {
            if (!(o instanceof Map<?, ?>)) {
                throw new IllegalArgumentException("each sign_files entry must be an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> f = (Map<String, Object>) o;
            String signType = Json.optString(f, "sign_type");
            if (!"hash".equals(signType)) {
                throw new IllegalArgumentException("sign_type must be \"hash\" (the simulator signs hashes only)");
            }
            String docId = Json.string(f, "doc_id");
            if (docId.isEmpty() || docId.length() > 64) {
                throw new IllegalArgumentException("doc_id must be 1 to 64 characters");
            }
            byte[] hash;
            try {
                hash = HexFormat.of().parseHex(Json.string(f, "data_to_be_signed"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("data_to_be_signed must be the hex of a hash");
            }
            if (SimulatedUser.digestOfLength(hash.length) == null) {
                throw new IllegalArgumentException("data_to_be_signed of " + hash.length
                        + " bytes is no SHA-1/SHA-256/SHA-384/SHA-512 hash");
            }
            docIds.add(docId);
            hashes.add(hash);
        }
        user.submits.incrementAndGet();
        Reply fault = fault(user);
        if (fault != null) {
            return fault;
        }
        String display = desc;
        SimTransaction t = sim.register(sim.spId() + "/" + transactionId,
                () -> new SimTransaction(transactionId, user, display, docIds, hashes, false, sim.lifetimeNanos()));
        if (t == null) {
            return error(503, "SERVICE_BUSY", "too many pending transactions");
        }
        if (t.user != user || !sameHashes(t.inputs, hashes)) {
            return error(409, "TRANSACTION_ID_REUSED", "transaction_id " + transactionId
                    + " was already used for other data");
        }
        if (t.firstAccepted()) {
            sim.started(t, true);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("transaction_id", t.id);
        data.put("tran_code", t.tranCode);
        Reply reply = ok(WAITING, data, user);
        return user.dropThisSubmit() ? reply.dropped() : reply;
    }

    private Reply status(String transactionId) {
        SimTransaction t = sim.transaction(sim.spId() + "/" + transactionId);
        if (t == null) {
            return error(404, "TRANSACTION_NOT_FOUND", "no transaction " + transactionId);
        }
        t.user.polls.incrementAndGet();
        Reply fault = fault(t.user);
        if (fault != null) {
            return fault;
        }
        return Reply.json(200, statusBody(t), t.user.behaviour().slowAnswer());
    }

    /** The body of a status answer about {@code t}: what a status query gets, and what the webhook posts. */
    static String statusBody(SimTransaction t) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("transaction_id", t.id);
        data.put("tran_code", t.tranCode);
        String message = switch (t.state()) {
            case WAITING -> WAITING;
            case SIGNED -> {
                List<Object> signatures = new ArrayList<>();
                List<byte[]> values = t.signatures();
                for (int i = 0; i < values.size(); i++) {
                    Map<String, Object> s = new LinkedHashMap<>();
                    s.put("doc_id", t.docIds.get(i));
                    s.put("signature_value", Base64.getEncoder().encodeToString(values.get(i)));
                    s.put("timestamp_signature", null);
                    signatures.add(s);
                }
                data.put("signatures", signatures);
                yield "SUCCESS";
            }
            case REJECTED -> "sig_rejected_by_user";
            case EXPIRED -> "sig_transaction_expired";
            case PIN_BLOCKED -> "sig_pin_locked";
            case CANCELLED -> "sig_transaction_cancelled";
            case UNREACHABLE -> "sig_user_unreachable";
        };
        return body(200, message, null, data);
    }

    private Reply cancel(String transactionId) {
        SimTransaction t = sim.transaction(sim.spId() + "/" + transactionId);
        if (t == null) {
            return error(404, "TRANSACTION_NOT_FOUND", "no transaction " + transactionId);
        }
        t.cancel();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("transaction_id", t.id);
        return ok(t.state() == SimTransaction.State.CANCELLED ? "sig_transaction_cancelled" : "sig_transaction_final",
                data, t.user);
    }

    /** An injected HTTP 500 for this user's behaviour, or null. */
    private static Reply fault(SimulatedUser user) {
        if (user.serverErrorNow()) {
            return json(500, "INTERNAL_SERVER_ERROR", "simulated server error", null, user.behaviour().slowAnswer());
        }
        return null;
    }

    private static String certStatus(SimulatedUser user) {
        if (user.identity.revokedAt().isPresent()) {
            return "REVOKED";
        }
        Instant now = Instant.now();
        X509Certificate cert = user.identity.certificate();
        if (now.isAfter(cert.getNotAfter().toInstant())) {
            return "EXPIRED";
        }
        if (now.isBefore(cert.getNotBefore().toInstant())) {
            return "NOT_YET_VALID";
        }
        return "ACTIVE";
    }

    static String serialOf(X509Certificate cert) {
        return cert.getSerialNumber().toString(16);
    }

    private static Reply ok(String message, Map<String, Object> data, SimulatedUser user) {
        return json(200, message, null, data, user.behaviour().slowAnswer());
    }

    private static Reply error(int status, String message, String detail) {
        return json(status, message, detail, null, Duration.ZERO);
    }

    private static Reply json(int status, String message, String detail, Map<String, Object> data, Duration hold) {
        return Reply.json(status, body(status, message, detail, data), hold);
    }

    private static String body(int status, String message, String detail, Map<String, Object> data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status_code", status);
        body.put("message", message);
        if (detail != null) {
            body.put("error_detail", detail);
        }
        body.put("data", data);
        return Json.write(body);
    }
}
