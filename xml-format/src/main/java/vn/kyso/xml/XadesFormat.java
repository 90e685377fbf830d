package vn.kyso.xml;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import vn.kyso.BaselineLevel;
import vn.kyso.Document;
import vn.kyso.DocumentMalformedException;
import vn.kyso.KysoException;
import vn.kyso.PendingSignature;
import vn.kyso.SignOptions;
import vn.kyso.SignRequest;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.SignatureFormat;
import vn.kyso.SigningFailedException;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;

/**
 * Format "xades": enveloped XML signatures in the shapes Vietnamese e-invoice, tax and Treasury
 * systems exchange (plain XMLDSig, inclusive C14N; XAdES-B and B-T on request), chosen with
 * {@link XmlOptions}; without them an e-invoice is signed by its seller. Verification reports every
 * signature the document carries.
 *
 * <p>Signing streams: one StAX pass canonicalizes the signed elements into their digests without a
 * DOM, and completion copies the input with the signature inserted, so a 20 MB invoice signs in
 * little memory; the input is never modified. Stateless and thread-safe.
 */
public final class XadesFormat implements SignatureFormat {
    static final String ID = "xades";

    @Override
    public String id() {
        return ID;
    }

    /** True for bytes that start like XML (optional BOM and whitespace, then {@code <}); PDFs and text are not. */
    @Override
    public boolean accepts(Document document) throws IOException {
        return looksLikeXml(document.head(64));
    }

    static boolean looksLikeXml(byte[] head) {
        int i = 0;
        if (head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            i = 3;
        } else if (head.length >= 2 && ((head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF
                || (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE)) {
            // UTF-16: the byte after the BOM pair that is not 0 must be '<'
            for (int j = 2; j < head.length; j++) {
                if (head[j] != 0) {
                    return head[j] == '<';
                }
            }
            return false;
        }
        while (i < head.length && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) {
            i++;
        }
        return i + 1 < head.length && head[i] == '<'
                && (head[i + 1] == '?' || head[i + 1] == '!' || isNameStart(head[i + 1]));
    }

    private static boolean isNameStart(byte b) {
        return b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b == '_' || b == ':' || (b & 0x80) != 0;
    }

    /**
     * Scans {@code document} and computes the digest of the SignedInfo the profile of
     * {@code options} (default {@link XmlOptions.Profile#INVOICE_SELLER}) signs.
     *
     * @throws IllegalArgumentException for an algorithm or level XML signing does not offer
     *     (SHA-1; LT or LTA), an EC key for the tax declaration profile (eTax expects RSAKeyValue), or
     *     another format's options (PadesOptions) in {@code options}: only {@link XmlOptions} apply
     * @throws DocumentMalformedException when the document is not well-formed UTF-8 XML, has a
     *     DOCTYPE, or lacks (or has twice) what the profile signs or the place of the signature
     */
    @Override
    public PendingSignature prepare(Document document, List<X509Certificate> chain, SignatureAlgorithm algorithm,
            SignOptions options) throws KysoException, IOException {
        return prepare(document, chain, algorithm, options, SignatureTemplate.newUuid());
    }

    /**
     * {@inheritDoc}
     *
     * <p>An XML signature is prepared again from the document with the signing time and Ids in the
     * state, which gives the same SignedInfo, hence the same digest (checked) and the same bytes.
     * A timestamp (level T) is fetched on completion.
     */
    @Override
    public PendingSignature resume(Document original, byte[] state) throws KysoException, IOException {
        Objects.requireNonNull(original, "original must not be null");
        Objects.requireNonNull(state, "state must not be null");
        return XadesPending.resume(this, original, state);
    }

    /** {@link #prepare} with the random part of the signature's Ids given: {@code uuid}. */
    XadesPending prepare(Document document, List<X509Certificate> chain, SignatureAlgorithm algorithm,
            SignOptions options, String uuid) throws KysoException, IOException {
        Objects.requireNonNull(document, "document must not be null");
        Objects.requireNonNull(chain, "chain must not be null");
        Objects.requireNonNull(algorithm, "algorithm must not be null");
        Objects.requireNonNull(options, "options must not be null");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain must hold at least the signing certificate");
        }
        X509Certificate leaf = chain.get(0);
        if (!algorithm.fits(leaf.getPublicKey())) {
            throw new IllegalArgumentException(algorithm + " does not fit the certificate's "
                    + leaf.getPublicKey().getAlgorithm() + " key");
        }
        XmlAlgorithms.signatureMethod(algorithm);
        if (options.level() == BaselineLevel.LT || options.level() == BaselineLevel.LTA) {
            throw new IllegalArgumentException("XML signatures are made at level B (XMLDSig, or XAdES-B with"
                    + " XmlOptions.xades(true)) or T (XAdES-B-T); " + options.level() + " is not supported for XML:"
                    + " use level B or T");
        }
        XmlOptions xml = options.formatOptions(XmlOptions.class)
                .orElseGet(() -> XmlOptions.of(XmlOptions.Profile.INVOICE_SELLER));
        if (xml.profile() == XmlOptions.Profile.TAX_DECLARATION
                && algorithm.keyKind() != SignatureAlgorithm.KeyKind.RSA) {
            throw new IllegalArgumentException("the TAX_DECLARATION profile carries KeyValue/RSAKeyValue as eTax"
                    + " expects; sign tax declarations with an RSA certificate");
        }
        if (!accepts(document)) {
            throw new DocumentMalformedException(ID, document.name() + " is not XML (it does not start with '<'):"
                    + " check that the right file was chosen");
        }
        boolean timestamp = options.level() == BaselineLevel.T;
        long size = document.size();
        FileTime modified = document.file().isPresent() ? Files.getLastModifiedTime(document.file().get()) : null;
        Instant signingTime = options.clock().instant();
        SignatureTemplate template = SignatureTemplate.start(xml, algorithm, chain, signingTime,
                xml.xades() || timestamp, uuid);
        SigningScan scan = SigningScan.run(document, SigningTarget.criteria(xml), algorithm.digest(), false);
        SigningTarget target = SigningTarget.resolve(xml, scan, document.name(), template.newIds);
        try {
            template.build(target);
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("the signing certificate cannot be encoded: " + e.getMessage(), e);
        } catch (Utf8Sink.UnpairedSurrogateException e) {
            throw new IllegalArgumentException("the signature's text (the certificate's subject name) cannot be"
                    + " written as XML: " + e.getMessage(), e);
        }
        if (target.slot.depth + template.depth() > XmlLimits.MAX_DEPTH) {
            throw new DocumentMalformedException(ID, document.name() + " has the signature's place "
                    + target.slot.localName + " at nesting level " + target.slot.depth + "; the signature's "
                    + template.depth() + " levels of elements would go deeper than the " + XmlLimits.MAX_DEPTH
                    + " levels verifiers accept (kyso's included): choose a place nearer the root");
        }
        SlotLocator.Insertion insertion;
        boolean sameBytes = true;
        try (CheckedInputStream in = new CheckedInputStream(document.open(), new CRC32C())) {
            insertion = SlotLocator.locate(in, target.slot.ordinal);
            if (document.file().isPresent()) {
                // a file can change between the two reads: the place found must be in the bytes digested
                in.transferTo(OutputStream.nullOutputStream());
                sameBytes = in.getChecksum().getValue() == scan.checksum;
            }
        } catch (IllegalStateException e) {
            throw changedWhilePreparing(document, e);
        }
        if (!sameBytes) {
            throw changedWhilePreparing(document, null);
        }
        SignRequest request = SignRequest.of(algorithm, algorithm.digest().digest(template.signedInfo()),
                options.displayText()).forDocument(ID, options.documentType().isEmpty() ? target.documentType
                        : options.documentType());
        return new XadesPending(document, size, modified, scan.checksum, insertion, target.slot.qname, template, chain,
                request, options, timestamp, xml, signingTime);
    }

    private static SigningFailedException changedWhilePreparing(Document document, Exception cause) {
        return new SigningFailedException(ID, document.name() + " changed while it was being prepared for signing;"
                + " nothing was signed: sign it again", cause);
    }

    @Override
    public VerificationReport verify(Document document, ValidationPolicy policy) throws KysoException, IOException {
        Objects.requireNonNull(document, "document must not be null");
        Objects.requireNonNull(policy, "policy must not be null");
        return XmlVerifier.verify(document, policy);
    }
}
