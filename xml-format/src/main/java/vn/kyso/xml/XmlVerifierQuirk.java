package vn.kyso.xml;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.List;
import org.apache.xml.security.algorithms.JCEMapper;
import org.apache.xml.security.algorithms.SignatureAlgorithm;
import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.signature.Reference;
import org.apache.xml.security.signature.SignedInfo;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;

/** The .NET producer quirk: enveloped-signature transform on a reference to an Object of the same Signature. */
final class XmlVerifierQuirk {
    private XmlVerifierQuirk() {
    }

    /** Whether the reference has the quirk's shape: only the enveloped transform, target inside its own signature. */
    static boolean isQuirkShape(SignedTargets.Target t) {
        return t.inSignature() && t.enveloped();
    }

    /**
     * True when every failing reference has the quirk's shape and its target's digest matches as
     * its producer meant (the transform removing nothing).
     *
     * @param targets the resolved targets, in reference order
     */
    static boolean sameSignatureObjectOnly(XMLSignature sig, List<SignedTargets.Target> targets) {
        try {
            SignedInfo si = sig.getSignedInfo();
            boolean any = false;
            for (int i = 0; i < si.getLength(); i++) {
                if (si.getVerificationResult(i)) {
                    continue;
                }
                Reference r = si.item(i);
                Transforms t = r.getTransforms();
                SignedTargets.Target target = targets.get(i);
                if (t == null || t.getLength() != 1 || !isQuirkShape(target)
                        || !Transforms.TRANSFORM_ENVELOPED_SIGNATURE.equals(t.item(0).getURI())) {
                    return false;
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                Canonicalizer.getInstance(Canonicalizer.ALGO_ID_C14N_OMIT_COMMENTS).canonicalizeSubtree(target.element(), out);
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

    /** Whether the SignatureValue verifies over the canonicalized SignedInfo (RSA, RSA-PSS, ECDSA in XMLDSig form). */
    static boolean valueVerifies(XMLSignature sig, PublicKey key) {
        try {
            SignedInfo si = sig.getSignedInfo();
            SignatureAlgorithm sa = si.getSignatureAlgorithm();
            sa.initVerify(key);
            sa.update(si.getCanonicalizedOctetStream());
            return sa.verify(sig.getSignatureValue());
        } catch (Exception e) {
            return false;
        }
    }
}
