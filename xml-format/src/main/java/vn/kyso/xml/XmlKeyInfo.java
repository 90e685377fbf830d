package vn.kyso.xml;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reads ds:KeyInfo without any resolver: the X509Certificate values of its X509Data and an
 * RSAKeyValue if present (tax declarations carry both). Nothing is fetched or followed
 * (no RetrievalMethod), so KeyInfo can neither reach the network nor another part of the document.
 *
 * @param certificates the certificates in document order, at most {@link #MAX_CERTIFICATES}
 * @param keyValue the RSA public key of a KeyValue, or null
 * @param unreadable how many X509Certificate values could not be parsed
 */
record XmlKeyInfo(List<X509Certificate> certificates, PublicKey keyValue, int unreadable) {
    static final int MAX_CERTIFICATES = 10;

    static XmlKeyInfo read(Element signature) {
        List<X509Certificate> certificates = new ArrayList<>();
        PublicKey keyValue = null;
        int unreadable = 0;
        Element keyInfo = XmlVerifier.dsigChild(signature, "KeyInfo");
        if (keyInfo == null) {
            return new XmlKeyInfo(List.of(), null, 0);
        }
        for (Node c = keyInfo.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element e && XmlVerifier.isDsig(e, "X509Data")) {
                for (Node d = e.getFirstChild(); d != null; d = d.getNextSibling()) {
                    if (d instanceof Element x && XmlVerifier.isDsig(x, "X509Certificate")
                            && certificates.size() < MAX_CERTIFICATES) {
                        X509Certificate cert = certificate(VerifiedXml.text(x));
                        if (cert == null) {
                            unreadable++;
                        } else {
                            certificates.add(cert);
                        }
                    }
                }
            } else if (c instanceof Element e && XmlVerifier.isDsig(e, "KeyValue") && keyValue == null) {
                keyValue = rsaKeyValue(e);
            }
        }
        return new XmlKeyInfo(List.copyOf(certificates), keyValue, unreadable);
    }

    static X509Certificate certificate(String base64) {
        try {
            byte[] der = Base64.getMimeDecoder().decode(base64.strip());
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | IllegalArgumentException | ClassCastException e) {
            return null;
        }
    }

    private static PublicKey rsaKeyValue(Element keyValue) {
        Element rsa = XmlVerifier.dsigChild(keyValue, "RSAKeyValue");
        if (rsa == null) {
            return null;
        }
        Element modulus = XmlVerifier.dsigChild(rsa, "Modulus");
        Element exponent = XmlVerifier.dsigChild(rsa, "Exponent");
        if (modulus == null || exponent == null) {
            return null;
        }
        try {
            Base64.Decoder d = Base64.getMimeDecoder();
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                    new BigInteger(1, d.decode(VerifiedXml.text(modulus).strip())),
                    new BigInteger(1, d.decode(VerifiedXml.text(exponent).strip()))));
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * The signer's certificate among those of KeyInfo: the one that issued none of the others
     * (KeyInfo may carry the chain in any order), else the first.
     */
    X509Certificate leaf() {
        for (X509Certificate c : certificates) {
            boolean issuesAnother = false;
            for (X509Certificate o : certificates) {
                if (o != c && o.getIssuerX500Principal().equals(c.getSubjectX500Principal())
                        && !o.getSubjectX500Principal().equals(o.getIssuerX500Principal())) {
                    issuesAnother = true;
                }
            }
            if (!issuesAnother) {
                return c;
            }
        }
        return certificates.isEmpty() ? null : certificates.get(0);
    }

    /** Whether a KeyValue, when present, is the certificate's own key. */
    boolean keyValueMatches(X509Certificate cert) {
        if (keyValue == null) {
            return true;
        }
        return cert.getPublicKey() instanceof RSAPublicKey c && keyValue instanceof RSAPublicKey k
                && c.getModulus().equals(k.getModulus()) && c.getPublicExponent().equals(k.getPublicExponent());
    }
}
