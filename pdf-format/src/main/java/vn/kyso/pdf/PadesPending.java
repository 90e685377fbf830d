package vn.kyso.pdf;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import vn.kyso.BaselineLevel;
import vn.kyso.DigestAlgorithm;
import vn.kyso.KysoException;
import vn.kyso.PendingSignature;
import vn.kyso.SignOptions;
import vn.kyso.SignRequest;
import vn.kyso.SigningFailedException;
import vn.kyso.internal.validation.Net;

/** A PDF with an empty /Contents of the right size, waiting for its signature value. */
final class PadesPending implements PendingSignature {
    private final PreparedPdf prepared;
    private final byte[] signedAttributes;
    private final List<X509Certificate> chain;
    private final SignRequest request;
    private final SignOptions options;
    private boolean completed;
    private boolean closed;

    PadesPending(PreparedPdf prepared, byte[] signedAttributes, List<X509Certificate> chain, SignRequest request,
            SignOptions options) {
        this.prepared = prepared;
        this.signedAttributes = signedAttributes.clone();
        this.chain = List.copyOf(chain);
        this.request = request;
        this.options = options;
    }

    @Override
    public SignRequest request() {
        return request;
    }

    @Override
    public void complete(byte[] signatureValue, OutputStream out) throws KysoException, IOException {
        if (completed) {
            throw new IllegalStateException("this signature is already completed");
        }
        if (closed) {
            throw new IllegalStateException("this signature was closed before it was completed: prepare it again");
        }
        completed = true;
        if (!Cms.verifies(request.algorithm(), chain.get(0).getPublicKey(), signedAttributes, signatureValue)) {
            throw new SigningFailedException(PadesFormat.ID, "the signature value returned for "
                    + chain.get(0).getSubjectX500Principal().getName() + " does not verify with its certificate: "
                    + "the key and certificate do not match, or the device answered garbage; nothing was written");
        }
        byte[] unsigned = null;
        int tokenLength = 0;
        if (options.level() != BaselineLevel.B) {
            byte[] imprint = DigestAlgorithm.SHA256.digest(signatureValue);
            byte[] token = Net.timestamp("pades", options.timestampUrl().orElseThrow(), DigestAlgorithm.SHA256, imprint,
                    options.networkTimeout());
            tokenLength = token.length;
            unsigned = Cms.timestampAttribute(token).getEncoded(ASN1Encoding.DER);
        }
        byte[] cms = SignedDataDer.encode(signedAttributes, signatureValue, request.algorithm(), chain, unsigned);
        int room = prepared.room();
        if (cms.length > room) {
            throw new SigningFailedException(PadesFormat.ID, ContentsSize.overflow(cms.length, room, tokenLength,
                    options.timestampUrl().orElse(null)));
        }
        if (options.level() == BaselineLevel.B || options.level() == BaselineLevel.T) {
            prepared.writeSigned(cms, out);
            return;
        }
        Path signed = Files.createTempFile("kyso-pades-", ".pdf");
        try {
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(signed), 1 << 16)) {
                prepared.writeSigned(cms, file);
            }
            if (options.level() == BaselineLevel.LTA) {
                Path withDss = Files.createTempFile("kyso-pades-lt-", ".pdf");
                try {
                    try (OutputStream lt = Files.newOutputStream(withDss)) {
                        Dss.appendValidationData(signed, chain, options.networkTimeout(), lt);
                    }
                    DocTimestamp.append(withDss, options.timestampUrl().orElseThrow(), options.networkTimeout(), out);
                } finally {
                    Files.deleteIfExists(withDss);
                }
            } else {
                Dss.appendValidationData(signed, chain, options.networkTimeout(), out);
            }
        } finally {
            Files.deleteIfExists(signed);
        }
    }

    /** Temp files live only inside complete; closing just ends this signature's use. */
    @Override
    public void close() {
        closed = true;
    }
}
