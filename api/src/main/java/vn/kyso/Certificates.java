package vn.kyso;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * Reading Vietnamese certificates: holder names with diacritics, the {@code MST:} tax code and
 * {@code CCCD:} citizen id carried in UID, fingerprints and PEM.
 */
public final class Certificates {
    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String END = "-----END CERTIFICATE-----";

    private Certificates() {
    }

    /** The subject's CN, or the whole subject when it has none. */
    public static String commonName(X509Certificate certificate) {
        return attribute(certificate.getSubjectX500Principal(), "CN")
                .orElse(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253));
    }

    /** The issuer's CN, or the whole issuer name when it has none. */
    public static String issuerName(X509Certificate certificate) {
        return attribute(certificate.getIssuerX500Principal(), "CN")
                .orElse(certificate.getIssuerX500Principal().getName(X500Principal.RFC2253));
    }

    /** The tax code from a {@code UID=MST:…} attribute (organizations, e-invoice sellers). */
    public static Optional<String> taxCode(X509Certificate certificate) {
        return uidWithPrefix(certificate, "MST:");
    }

    /** The citizen id from a {@code UID=CCCD:…} (or older {@code CMND:}) attribute. */
    public static Optional<String> citizenId(X509Certificate certificate) {
        return uidWithPrefix(certificate, "CCCD:").or(() -> uidWithPrefix(certificate, "CMND:"));
    }

    /** SHA-256 of the DER encoding, lower-case hex: the certificate's key in the register. */
    public static String fingerprint(X509Certificate certificate) {
        return UsageReportingSigner.fingerprint(certificate);
    }

    /** Parses every certificate in PEM text (or one DER certificate). */
    public static List<X509Certificate> parse(byte[] pemOrDer) throws CertificateException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (var c : factory.generateCertificates(new ByteArrayInputStream(pemOrDer))) {
            out.add((X509Certificate) c);
        }
        if (out.isEmpty()) {
            throw new CertificateException("no certificate found: expected PEM (-----BEGIN CERTIFICATE-----) or DER");
        }
        return out;
    }

    /** The certificate as PEM text. */
    public static String toPem(X509Certificate certificate) {
        try {
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded());
            return BEGIN + "\n" + body + "\n" + END + "\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }

    private static Optional<String> uidWithPrefix(X509Certificate certificate, String prefix) {
        for (String uid : attributes(certificate.getSubjectX500Principal(), "UID")) {
            String v = uid.trim();
            if (v.regionMatches(true, 0, prefix, 0, prefix.length())) {
                return Optional.of(v.substring(prefix.length()).trim());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> attribute(X500Principal name, String type) {
        List<String> all = attributes(name, type);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    private static List<String> attributes(X500Principal name, String type) {
        List<String> out = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(name.getName(X500Principal.RFC2253)).getRdns()) {
                var attrs = rdn.toAttributes().getAll();
                while (attrs.hasMore()) {
                    var a = attrs.next();
                    if (a.getID().equalsIgnoreCase(type) || ("UID".equals(type)
                            && a.getID().equals("0.9.2342.19200300.100.1.1"))) {
                        Object v = a.get();
                        if (v instanceof String s) {
                            out.add(s);
                        }
                    }
                }
            }
        } catch (javax.naming.NamingException e) {
            return out;
        }
        return out;
    }
}
