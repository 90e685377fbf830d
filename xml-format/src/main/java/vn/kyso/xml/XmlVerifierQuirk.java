package vn.kyso.xml;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import org.apache.xml.security.algorithms.JCEMapper;
import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.signature.Reference;
import org.apache.xml.security.signature.SignedInfo;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** The .NET producer quirk: enveloped-signature transform on a reference to an Object of the same Signature. */
final class XmlVerifierQuirk {
    private XmlVerifierQuirk() {
    }

    /** True when every failing reference is such a quirk reference whose target digest matches as its producer meant. */
    static boolean sameSignatureObjectOnly(XMLSignature sig, Element signature) {
        try {
            SignedInfo si = sig.getSignedInfo();
            boolean any = false;
            for (int i = 0; i < si.getLength(); i++) {
                if (si.getVerificationResult(i)) {
                    continue;
                }
                Reference r = si.item(i);
                Transforms t = r.getTransforms();
                if (t == null || t.getLength() != 1
                        || !Transforms.TRANSFORM_ENVELOPED_SIGNATURE.equals(t.item(0).getURI())) {
                    return false;
                }
                Element target = signature.getOwnerDocument().getElementById(r.getURI().substring(1));
                if (target == null || !inside(target, signature)) {
                    return false;
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                Canonicalizer.getInstance(Canonicalizer.ALGO_ID_C14N_OMIT_COMMENTS).canonicalizeSubtree(target, out);
                MessageDigest md = MessageDigest.getInstance(
                        JCEMapper.translateURItoJCEID(r.getMessageDigestAlgorithm().getAlgorithmURI()));
                if (!MessageDigest.isEqual(md.digest(out.toByteArray()), r.getDigestValue())) {
                    return false;
                }
                any = true;
            }
            return any;
        } catch (Exception e) {
            return false;
        }
    }

    static boolean valueVerifies(XMLSignature sig, X509Certificate cert) {
        try {
            SignedInfo si = sig.getSignedInfo();
            Signature s = Signature.getInstance(JCEMapper.translateURItoJCEID(si.getSignatureMethodURI()));
            s.initVerify(cert.getPublicKey());
            s.update(si.getCanonicalizedOctetStream());
            return s.verify(sig.getSignatureValue());
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean inside(Node n, Element signature) {
        for (Node p = n; p != null; p = p.getParentNode()) {
            if (p == signature) {
                return true;
            }
        }
        return false;
    }
}
