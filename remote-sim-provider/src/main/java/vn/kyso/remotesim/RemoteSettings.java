package vn.kyso.remotesim;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * The connect settings of provider "remote-sim", checked once: a missing or malformed value is
 * an {@link IllegalArgumentException} naming the key. Durations are ISO-8601 ({@code PT3M}) or a
 * number with a unit ({@code 500ms}, {@code 30s}, {@code 3m}); a bare number means seconds.
 */
record RemoteSettings(String dialect, URI url, String userId, String serialNumber, String serviceId,
        Duration confirmationTimeout, Duration requestTimeout, PollSchedule polls, Duration webhookPollInterval, int retries,
        int maxConcurrentRequests, String tlsTrust, String tlsClientCertificate) {

    static final Duration DEFAULT_CONFIRMATION = Duration.ofMinutes(3);
    static final Duration DEFAULT_REQUEST = Duration.ofSeconds(30);
    static final Duration DEFAULT_POLL = Duration.ofSeconds(2);
    /** The interval of VNPT's SP769 samples: backing off beyond it only delays the answer. */
    static final Duration DEFAULT_MAX_POLL = Duration.ofSeconds(10);
    static final Duration DEFAULT_WEBHOOK_POLL = Duration.ofSeconds(30);

    static RemoteSettings parse(Map<String, String> settings) {
        String dialect = settings.getOrDefault("dialect", "sp769").trim().toLowerCase(Locale.ROOT);
        if (!dialect.equals("sp769") && !dialect.equals("csc") && !dialect.equals("mss")) {
            throw new IllegalArgumentException("remote-sim setting 'dialect' is '" + dialect + "'; supported: sp769, csc, mss");
        }
        boolean csc = dialect.equals("csc");
        boolean mss = dialect.equals("mss");
        String rawUrl = required(settings, "url", csc ? "the CSC base URL, e.g. https://remotesigning.viettel.vn/csc/v1/"
                : mss ? "the MSS_Signature SOAP endpoint, e.g. https://mpki1.ca.gov.vn:18083/soap/services/MSS_SignaturePort"
                : "the service's base URL, e.g. https://gwsca.vnpt.vn/sca/sp769/");
        URI url;
        try {
            url = URI.create(mss || rawUrl.endsWith("/") ? rawUrl : rawUrl + "/");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("remote-sim setting 'url' is not a URL: " + rawUrl, e);
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("remote-sim setting 'url' must be http or https: " + rawUrl);
        }
        String userId = mss ? required(settings, "msisdn", "the signer's phone number (MSISDN) holding the PKI SIM")
                : required(settings, "user_id", "the signer's id at the service (citizen id, tax code or phone number)");
        String serviceId = csc ? required(settings, "client_id", "the client id the CSC service issued")
                : mss ? required(settings, "ap_id", "the application provider id (AP_ID) the MSSP issued")
                : required(settings, "sp_id", "the service-provider id the signing service issued");
        String serial = settings.get(csc ? "credential_id" : mss ? "certificate" : "serial_number");
        if (mss && (serial == null || serial.isBlank())) {
            throw new IllegalArgumentException("remote-sim needs the setting 'certificate' for mss: the signer's certificate "
                    + "chain (a PEM or DER file, or base64 DER), as the AP received it at registration");
        }
        Duration confirmation = duration(settings, "confirmation_timeout", DEFAULT_CONFIRMATION);
        Duration request = duration(settings, "request_timeout", DEFAULT_REQUEST);
        Duration poll = duration(settings, "poll_interval", DEFAULT_POLL);
        Duration firstPoll = duration(settings, "first_poll", poll);
        Duration maxPoll = duration(settings, "max_poll_interval", poll.compareTo(DEFAULT_MAX_POLL) > 0 ? poll : DEFAULT_MAX_POLL);
        if (maxPoll.compareTo(poll) < 0) {
            throw new IllegalArgumentException("remote-sim setting 'max_poll_interval' must not be shorter than 'poll_interval'");
        }
        Duration webhookPoll = duration(settings, "webhook_poll_interval", DEFAULT_WEBHOOK_POLL);
        int retries = integer(settings, "retries", 3, 0, 10);
        int concurrent = integer(settings, "max_concurrent_requests", 64, 1, 1024);
        String tlsTrust = settings.get("tls_trust");
        String tlsClient = settings.get("tls_client_certificate");
        if ((tlsTrust != null || tlsClient != null) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("remote-sim settings 'tls_trust' and 'tls_client_certificate' need an https 'url'");
        }
        return new RemoteSettings(dialect, url, userId, serial == null || serial.isBlank() ? null : serial.trim(),
                serviceId, confirmation, request, new PollSchedule(firstPoll, poll, maxPoll), webhookPoll, retries, concurrent,
                tlsTrust == null || tlsTrust.isBlank() ? null : tlsTrust.trim(),
                tlsClient == null || tlsClient.isBlank() ? null : tlsClient.trim());
    }

    private static String required(Map<String, String> settings, String key, String what) {
        String value = settings.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("remote-sim needs the setting '" + key + "': " + what);
        }
        return value.trim();
    }

    private static int integer(Map<String, String> settings, String key, int fallback, int min, int max) {
        String value = settings.get(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("remote-sim setting '" + key + "' must be an integer from " + min
                    + " to " + max + ", not '" + value + "'");
        }
    }

    static Duration duration(Map<String, String> settings, String key, Duration fallback) {
        String value = settings.get(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (v.startsWith("p")) {
                d = Duration.parse(v.toUpperCase(Locale.ROOT));
            } else if (v.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
            } else if (v.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1).trim()));
            } else if (v.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1).trim()));
            } else {
                d = Duration.ofSeconds(Long.parseLong(v));
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("remote-sim setting '" + key + "' is not a duration (PT3M, 500ms, 30s, 3m): '"
                    + value + "'");
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("remote-sim setting '" + key + "' must be positive");
        }
        return d;
    }
}
