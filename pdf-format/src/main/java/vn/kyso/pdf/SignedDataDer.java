package vn.kyso.pdf;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import vn.kyso.SignatureAlgorithm;

/**
 * The DER of a detached CMS SignedData (RFC 5652) around an externally made signature value,
 * written directly from the encoded pieces: the bytes Bouncy Castle's object tree gives for the
 * same content (SignedDataDerTest compares them) at a fraction of the cost, since signing should
 * cost little more than the key's own operation. The issuer name and certificates are copied as
 * they are encoded in the certificates. Stateless.
 */
final class SignedDataDer {
    private static final int SEQUENCE = 0x30;
    private static final int SET = 0x31;
    private static final int INTEGER = 0x02;
    private static final int OCTET_STRING = 0x04;
    private static final int CONTEXT_0 = 0xA0;
    private static final int CONTEXT_1 = 0xA1;

    private SignedDataDer() {
    }

    /**
     * ContentInfo { signedData, SignedData { version 1, the digest algorithm, id-data without
     * content, the chain as a DER SET, one SignerInfo (issuer and serial) } }.
     *
     * @param signedAttributes the DER SET the signature value was made over
     * @param unsignedAttributes a DER SET of unsigned attributes, or null for none
     */
    static byte[] encode(byte[] signedAttributes, byte[] value, SignatureAlgorithm algorithm,
            List<X509Certificate> chain, byte[] unsignedAttributes) throws IOException {
        X509Certificate signer = chain.get(0);
        byte[] digestAlgorithm = Cms.digestAlgorithm(algorithm.digest()).getEncoded(ASN1Encoding.DER);
        byte[] signatureAlgorithm = Cms.signatureAlgorithm(algorithm).getEncoded(ASN1Encoding.DER);
        byte[] version = {INTEGER, 1, 1};
        byte[] issuerAndSerial = tlv(SEQUENCE, signer.getIssuerX500Principal().getEncoded(),
                tlv(INTEGER, signer.getSerialNumber().toByteArray()));
        byte[] signerInfo = tlv(SEQUENCE, version, issuerAndSerial, digestAlgorithm,
                retagged(signedAttributes, CONTEXT_0), signatureAlgorithm, tlv(OCTET_STRING, value),
                unsignedAttributes == null ? new byte[0] : retagged(unsignedAttributes, CONTEXT_1));
        byte[] signedData = tlv(SEQUENCE, version, tlv(SET, digestAlgorithm),
                tlv(SEQUENCE, CMSObjectIdentifiers.data.getEncoded(ASN1Encoding.DER)),
                tlv(CONTEXT_0, sortedEncodings(chain)), tlv(SET, signerInfo));
        return tlv(SEQUENCE, CMSObjectIdentifiers.signedData.getEncoded(ASN1Encoding.DER), tlv(CONTEXT_0, signedData));
    }

    /** The certificates' encodings in DER SET OF order (X.690 11.6). */
    private static byte[][] sortedEncodings(List<X509Certificate> chain) throws IOException {
        byte[][] encodings = new byte[chain.size()][];
        try {
            for (int i = 0; i < encodings.length; i++) {
                encodings[i] = chain.get(i).getEncoded();
            }
        } catch (CertificateEncodingException e) {
            throw new IOException("cannot encode a certificate of the chain", e);
        }
        Arrays.sort(encodings, SignedDataDer::compareAsSetMembers);
        return encodings;
    }

    /** Octet by octet, unsigned; a shorter encoding counts as padded with zero octets. */
    static int compareAsSetMembers(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        int c = Arrays.compareUnsigned(a, 0, n, b, 0, n);
        if (c != 0) {
            return c;
        }
        byte[] longer = a.length > b.length ? a : b;
        for (int i = n; i < longer.length; i++) {
            if (longer[i] != 0) {
                return longer == a ? 1 : -1;
            }
        }
        return Integer.compare(a.length, b.length);
    }

    /** {@code der} (one TLV) with its tag replaced, as IMPLICIT tagging does. */
    private static byte[] retagged(byte[] der, int tag) {
        byte[] copy = der.clone();
        copy[0] = (byte) tag;
        return copy;
    }

    /** One DER TLV: {@code tag}, the definite length, the parts concatenated. */
    private static byte[] tlv(int tag, byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        int lengthOctets = length < 0x80 ? 0 : length < 0x100 ? 1 : length < 0x10000 ? 2 : length < 0x1000000 ? 3 : 4;
        byte[] out = new byte[2 + lengthOctets + length];
        out[0] = (byte) tag;
        int at = 1;
        if (lengthOctets == 0) {
            out[at++] = (byte) length;
        } else {
            out[at++] = (byte) (0x80 | lengthOctets);
            for (int shift = 8 * (lengthOctets - 1); shift >= 0; shift -= 8) {
                out[at++] = (byte) (length >>> shift);
            }
        }
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
