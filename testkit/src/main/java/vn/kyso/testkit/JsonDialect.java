package vn.kyso.testkit;

import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vn.kyso.internal.json.Json;
import vn.kyso.testkit.RemoteSigningSimulator.Reply;

/**
 * What the JSON dialects (SP769, CSC) share: every call a POST under the dialect's path prefix
 * with a JSON object body (an empty body is an empty object); anything else is refused in the
 * dialect's own error format before the call is looked at.
 */
abstract class JsonDialect implements RemoteSigningSimulator.Dialect {
    private final String prefix;
    private final String name;
    private final String endpoint;

    /**
     * @param prefix the path the dialect's calls start with, e.g. {@code /csc/v1/}
     * @param name the dialect's name in error messages, e.g. {@code CSC}
     * @param endpoint what the dialect calls an endpoint, e.g. {@code method}
     */
    JsonDialect(String prefix, String name, String endpoint) {
        this.prefix = prefix;
        this.name = name;
        this.endpoint = endpoint;
    }

    @Override
    public final Reply handle(HttpExchange exchange, String path, byte[] body) {
        if (!"POST".equals(exchange.getRequestMethod())) {
            return refused(405, "every " + name + " call is a POST");
        }
        if (!path.startsWith(prefix)) {
            return refused(404, "no " + name + " " + endpoint + " at " + path);
        }
        Map<String, Object> req;
        try {
            String text = new String(body, StandardCharsets.UTF_8).trim();
            req = text.isEmpty() ? new LinkedHashMap<>() : Json.parseObject(text);
        } catch (IllegalArgumentException e) {
            return refused(400, e.getMessage());
        }
        return call(exchange, path.substring(prefix.length()), req);
    }

    /** Answers one call: {@code method} is the path after the prefix, {@code req} the parsed body. */
    abstract Reply call(HttpExchange exchange, String method, Map<String, Object> req);

    /** The dialect's error answer for a request refused with HTTP {@code status} (405, 404 or 400). */
    abstract Reply refused(int status, String description);

    static String base64(X509Certificate cert) {
        try {
            return Base64.getEncoder().encodeToString(cert.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether two lists of hashes are the same, in order (an idempotent retry carries the same). */
    static boolean sameHashes(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }
}
