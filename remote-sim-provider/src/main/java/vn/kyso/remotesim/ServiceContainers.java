package vn.kyso.remotesim;

import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.SignerInfo;

/**
 * Some services answer a hash with a CMS/PKCS#7 SignedData they built instead of the raw value.
 * When its one SignerInfo signs the hash itself (no signed attributes), the raw value inside is
 * what kyso's formats need; when it signs attributes of its own (contentType, messageDigest),
 * no format can use it: kyso's formats sign their own attributes, with the signing certificate
 * and time a verifier checks.
 */
final class ServiceContainers {
    private ServiceContainers() {
    }

    /** What a returned value turned out to be. */
    enum Kind { NOT_CMS, CMS_OVER_THE_HASH, CMS_OVER_ITS_OWN_ATTRIBUTES, CMS_UNUSABLE }

    /** The kind of {@code value} and, for {@link Kind#CMS_OVER_THE_HASH}, the raw value inside. */
    record Opened(Kind kind, byte[] raw) {
    }

    static Opened open(byte[] value) {
        if (value.length < 16 || value[0] != 0x30) {
            return new Opened(Kind.NOT_CMS, null);
        }
        try {
            ASN1Primitive parsed = ASN1Primitive.fromByteArray(value);
            if (!(parsed instanceof ASN1Sequence)) {
                return new Opened(Kind.NOT_CMS, null);
            }
            ContentInfo info = ContentInfo.getInstance(parsed);
            if (!CMSObjectIdentifiers.signedData.equals(info.getContentType())) {
                return new Opened(Kind.NOT_CMS, null);
            }
            SignedData signedData = SignedData.getInstance(info.getContent());
            if (signedData.getSignerInfos().size() != 1) {
                return new Opened(Kind.CMS_UNUSABLE, null);
            }
            SignerInfo signer = SignerInfo.getInstance(signedData.getSignerInfos().getObjectAt(0));
            if (signer.getAuthenticatedAttributes() != null) {
                return new Opened(Kind.CMS_OVER_ITS_OWN_ATTRIBUTES, null);
            }
            return new Opened(Kind.CMS_OVER_THE_HASH, signer.getEncryptedDigest().getOctets());
        } catch (java.io.IOException | IllegalArgumentException | IllegalStateException | ClassCastException e) {
            return new Opened(Kind.NOT_CMS, null);
        }
    }
}
