package vn.kyso.registry;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import vn.kyso.CertificateRecord;
import vn.kyso.CertificateStatus;
import vn.kyso.DeviceKind;
import vn.kyso.StaffGroup;

/** Register entries and certificates for the registry's tests. */
final class Fixtures {
    static final String AGENCY = "Sở Công Thương tỉnh Đồng Nai";

    private Fixtures() {
    }

    static RegisteredCertificate entry(String id, String holder, String personalId, String unit, StaffGroup group,
            String ca, DeviceKind device, CertificateStatus status, Instant notBefore, Instant notAfter) {
        boolean issued = status != CertificateStatus.REGISTERED && status != CertificateStatus.REQUESTED;
        return RegisteredCertificate.of(new CertificateRecord(id, holder, unit, group, ca, device, status,
                issued ? "5a" + id.hashCode() : "", issued ? notBefore : null, issued ? notAfter : null),
                AGENCY, personalId, "", "", "");
    }

    /** A self-signed certificate with {@code subject} and an optional email in the alternative name. */
    static X509Certificate certificate(X500Name subject, X500Name issuer, String altEmail) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair keys = generator.generateKeyPair();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(0x4b59534f01L),
                Date.from(Instant.parse("2025-01-01T00:00:00Z")), Date.from(Instant.parse("2028-01-01T00:00:00Z")),
                subject, keys.getPublic());
        if (altEmail != null) {
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.rfc822Name, altEmail)));
        }
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    static X500Name name(Object... typesAndValues) {
        X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
        for (int i = 0; i < typesAndValues.length; i += 2) {
            b.addRDN((org.bouncycastle.asn1.ASN1ObjectIdentifier) typesAndValues[i], (String) typesAndValues[i + 1]);
        }
        return b.build();
    }
}
