package vn.kyso.registry;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;
import vn.kyso.CertificateRecord;
import vn.kyso.CertificateStatus;
import vn.kyso.Certificates;
import vn.kyso.DeviceKind;
import vn.kyso.StaffGroup;

/**
 * Reads a register entry from an X.509 certificate (from a token, a file or a remote credential)
 * the way Vietnamese certificates carry it: the holder in CN with diacritics, the citizen id in
 * {@code UID=CCCD:…} (older {@code CMND:…}), an organization's tax code in {@code UID=MST:…}, the
 * agency in O, the unit in OU, the place in L / ST, the email in {@code E} or the alternative name.
 */
public final class CertificateImport {
    private static final String EMAIL_OID = "1.2.840.113549.1.9.1";

    private CertificateImport() {
    }

    /**
     * An issued entry for {@code certificate}. The agency and unit come from O and OU; when the
     * subject has none, the agency is "" and the unit is the given {@code defaultUnit}.
     */
    public static RegisteredCertificate fromX509(X509Certificate certificate, StaffGroup staffGroup,
            DeviceKind deviceKind, String defaultUnit) {
        Objects.requireNonNull(certificate, "certificate must not be null");
        Objects.requireNonNull(staffGroup, "staffGroup must not be null");
        Objects.requireNonNull(deviceKind, "deviceKind must not be null");
        Objects.requireNonNull(defaultUnit, "defaultUnit must not be null");
        X500Principal subject = certificate.getSubjectX500Principal();
        String unit = first(subject, "OU").orElse(defaultUnit);
        String agency = first(subject, "O").orElse("");
        CertificateRecord record = new CertificateRecord(Certificates.fingerprint(certificate),
                Certificates.commonName(certificate), unit, staffGroup, issuingCa(certificate), deviceKind,
                CertificateStatus.ISSUED, certificate.getSerialNumber().toString(16),
                certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
        return RegisteredCertificate.of(record, agency, personalId(certificate), email(certificate), "",
                subject.getName(X500Principal.RFC2253));
    }

    /**
     * The holder's personal id: the CCCD (or CMND) digits; for an organization's certificate its
     * tax code as "MST:…"; "" when the subject carries neither.
     */
    static String personalId(X509Certificate certificate) {
        return Certificates.citizenId(certificate).map(String::strip)
                .or(() -> Certificates.taxCode(certificate).map(t -> "MST:" + t.strip()))
                .orElse("");
    }

    /**
     * The CA as agencies name it in their reports, recognised from the issuer's O and CN; the
     * issuer's CN when the CA is not one of the licensed Vietnamese CAs listed here.
     */
    static String issuingCa(X509Certificate certificate) {
        X500Principal issuer = certificate.getIssuerX500Principal();
        String names = (first(issuer, "O").orElse("") + " " + first(issuer, "CN").orElse(""))
                .toLowerCase(Locale.ROOT);
        if (names.contains("ban cơ yếu") || names.contains("ban co yeu") || names.contains("chuyên dùng chính phủ")
                || names.contains("government cipher")) {
            return "Ban Cơ yếu Chính phủ";
        }
        String[][] known = {{"vnpt", "VNPT-CA"}, {"viettel", "Viettel-CA"}, {"fpt", "FPT-CA"}, {"bkav", "BKAV-CA"},
            {"nacencomm", "CA2"}, {"ca2", "CA2"}, {"ts24", "TS24"}, {"misa", "MISA-CA"}, {"smartsign", "SmartSign"},
            {"newtel", "NewTel-CA"}, {"safe-ca", "SAFE-CA"}, {"efy", "EFY-CA"}};
        for (String[] ca : known) {
            if (names.contains(ca[0])) {
                return ca[1];
            }
        }
        return Certificates.issuerName(certificate);
    }

    static String email(X509Certificate certificate) {
        Optional<String> inSubject = first(certificate.getSubjectX500Principal(), EMAIL_OID).map(CertificateImport::ia5);
        if (inSubject.isPresent() && !inSubject.get().isEmpty()) {
            return inSubject.get();
        }
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    if (Integer.valueOf(1).equals(name.get(0)) && name.get(1) instanceof String mail) {
                        return mail;
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // a malformed alternative name: no email, the rest of the entry still stands
        }
        return "";
    }

    /** Values of one attribute type, in the order they appear in the name. */
    static List<String> attributes(X500Principal name, String type) {
        List<String> out = new ArrayList<>();
        try {
            List<Rdn> rdns = new ArrayList<>(new LdapName(name.getName(X500Principal.RFC2253)).getRdns());
            java.util.Collections.reverse(rdns); // LdapName lists the last RDN first
            for (Rdn rdn : rdns) {
                javax.naming.directory.Attributes attrs = rdn.toAttributes();
                var ids = attrs.getIDs();
                while (ids.hasMore()) {
                    String id = ids.next();
                    if (id.equalsIgnoreCase(type)) {
                        Object value = attrs.get(id).get();
                        out.add(value instanceof byte[] der ? "#" + HexFormat.of().formatHex(der) : value.toString());
                    }
                }
            }
        } catch (javax.naming.NamingException e) {
            throw new IllegalArgumentException("unreadable name " + name, e);
        }
        return out;
    }

    private static Optional<String> first(X500Principal name, String type) {
        return attributes(name, type).stream().findFirst();
    }

    /** An attribute the RFC 2253 form gives as {@code #}hex DER (an IA5String email): its text. */
    private static String ia5(String value) {
        if (!value.startsWith("#")) {
            return value;
        }
        byte[] der = HexFormat.of().parseHex(value.substring(1));
        if (der.length < 2 || (der[1] & 0x80) != 0 || der[1] != der.length - 2) {
            return "";
        }
        return new String(der, 2, der.length - 2, java.nio.charset.StandardCharsets.US_ASCII);
    }

}
