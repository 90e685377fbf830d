package vn.kyso.testkit;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues the certificates of the test PKI with Bouncy Castle, one {@link Spec} at a time.
 * Everything but the keys and the port in the URLs is fixed by the spec, so two PKIs on the
 * same port produce the same bytes.
 */
final class CertificateMaker {

    /** What a certificate is for; decides its extensions. */
    enum Kind { ROOT, INTERMEDIATE, SIGNER, TSA, OCSP_RESPONDER, TLS_SERVER }

    /** RFC 9336 id-kp-documentSigning. */
    static final KeyPurposeId DOCUMENT_SIGNING =
            KeyPurposeId.getInstance(new ASN1ObjectIdentifier("1.3.6.1.5.5.7.3.36"));

    /**
     * Everything that decides one certificate except its keys.
     *
     * @param issuerAlias alias of the issuing CA, or null for a self-signed root
     * @param signatureAlgorithm JCA name the issuer signs the certificate with
     */
    record Spec(String alias, String issuerAlias, Kind kind, X500Name subject, BigInteger serial,
                Instant notBefore, Instant notAfter, Keys.Type keyType, String signatureAlgorithm) {
    }

    private CertificateMaker() {
    }

    /**
     * Builds a distinguished name from (attribute, value) pairs in encoding order; printed
     * RFC 2253 style (as the JDK does) the last pair comes first. Values other than C are
     * UTF8String, which keeps Vietnamese diacritics intact.
     */
    static X500Name dn(Object... pairs) {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        for (int i = 0; i < pairs.length; i += 2) {
            builder.addRDN((ASN1ObjectIdentifier) pairs[i], (String) pairs[i + 1]);
        }
        return builder.build();
    }

    /**
     * Issues the certificate of {@code spec}.
     *
     * @param issuerCert the issuer's certificate, null for a self-signed root
     * @param issuerKey the key that signs; the subject's own key for a root
     * @param base the base URI of the live services, for AIA and CRL distribution points
     */
    static X509Certificate issue(Spec spec, KeyPair subjectKeys, X509Certificate issuerCert,
                                 PrivateKey issuerKey, URI base) {
        try {
            X500Name issuerName = issuerCert == null
                    ? spec.subject()
                    : X500Name.getInstance(issuerCert.getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName, spec.serial(),
                    Date.from(spec.notBefore()), Date.from(spec.notAfter()), spec.subject(),
                    subjectKeys.getPublic());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(subjectKeys.getPublic()));
            if (issuerCert != null) {
                builder.addExtension(Extension.authorityKeyIdentifier, false,
                        utils.createAuthorityKeyIdentifier(issuerCert));
            }
            addPurpose(builder, spec.kind());
            if (issuerCert != null) {
                addLocations(builder, spec, base);
            }
            ContentSigner signer = new JcaContentSignerBuilder(spec.signatureAlgorithm()).build(issuerKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot issue test certificate " + spec.alias() + ": " + e.getMessage(), e);
        }
    }

    private static void addPurpose(X509v3CertificateBuilder builder, Kind kind) throws IOException {
        switch (kind) {
            case ROOT -> {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            }
            case INTERMEDIATE -> {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            }
            case SIGNER -> {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                        KeyPurposeId.id_kp_emailProtection, KeyPurposeId.id_kp_clientAuth, DOCUMENT_SIGNING}));
            }
            case TSA -> {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
                // RFC 3161 section 2.3: exactly one purpose, timeStamping, critical.
                builder.addExtension(Extension.extendedKeyUsage, true,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
            }
            case OCSP_RESPONDER -> {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning));
                // RFC 6960 section 4.2.2.2.1: clients need not check the responder's own status.
                builder.addExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false, DERNull.INSTANCE);
            }
            case TLS_SERVER -> {
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                // as public TLS certificates are issued: server and client authentication
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            }
            default -> throw new IllegalArgumentException("unknown kind " + kind);
        }
    }

    private static void addLocations(X509v3CertificateBuilder builder, Spec spec, URI base) throws IOException {
        List<AccessDescription> access = new ArrayList<>();
        if (spec.kind() != Kind.OCSP_RESPONDER) {
            access.add(new AccessDescription(AccessDescription.id_ad_ocsp, uri(TestServices.ocspUri(base))));
        }
        access.add(new AccessDescription(AccessDescription.id_ad_caIssuers,
                uri(TestServices.caIssuersUri(base, spec.issuerAlias()))));
        builder.addExtension(Extension.authorityInfoAccess, false,
                new AuthorityInformationAccess(access.toArray(AccessDescription[]::new)));
        if (spec.kind() != Kind.OCSP_RESPONDER) {
            DistributionPointName name = new DistributionPointName(
                    new GeneralNames(uri(TestServices.crlUri(base, spec.issuerAlias()))));
            builder.addExtension(Extension.cRLDistributionPoints, false,
                    new CRLDistPoint(new DistributionPoint[] {new DistributionPoint(name, null, null)}));
        }
    }

    private static GeneralName uri(URI uri) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, uri.toString());
    }
}
