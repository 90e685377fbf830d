package vn.kyso.pdf;

import vn.kyso.internal.validation.Net;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1Set;
import vn.kyso.BaselineLevel;
import vn.kyso.DigestAlgorithm;
import vn.kyso.KysoException;
import vn.kyso.PendingSignature;
import vn.kyso.SignOptions;
import vn.kyso.SignRequest;
import vn.kyso.SigningFailedException;

/** A PDF saved with an empty /Contents of the right size, waiting for its signature value. */
final class PadesPending implements PendingSignature {
    private final Path prepared;
    private final int[] byteRange;
    private final byte[] signedAttributes;
    private final List<X509Certificate> chain;
    private final SignRequest request;
    private final SignOptions options;
    private boolean completed;

    PadesPending(Path prepared, int[] byteRange, byte[] signedAttributes, List<X509Certificate> chain,
            SignRequest request, SignOptions options) {
        this.prepared = prepared;
        this.byteRange = byteRange.clone();
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
        completed = true;
        if (!Cms.verifies(request.algorithm(), chain.get(0).getPublicKey(), signedAttributes, signatureValue)) {
            throw new SigningFailedException(PadesFormat.ID, "the signature value returned for "
                    + chain.get(0).getSubjectX500Principal().getName() + " does not verify with its certificate: "
                    + "the key and certificate do not match, or the device answered garbage; nothing was written");
        }
        ASN1Set unsigned = null;
        int tokenLength = 0;
        if (options.level() != BaselineLevel.B) {
            byte[] imprint = DigestAlgorithm.SHA256.digest(signatureValue);
            byte[] token = Net.timestamp("pades", options.timestampUrl().orElseThrow(), DigestAlgorithm.SHA256, imprint,
                    options.networkTimeout());
            tokenLength = token.length;
            unsigned = Cms.timestampAttribute(token);
        }
        byte[] cms = Cms.signedData(signedAttributes, signatureValue, request.algorithm(), chain, unsigned);
        byte[] hex = HexFormat.of().withUpperCase().formatHex(cms).getBytes(StandardCharsets.US_ASCII);
        int room = byteRange[2] - byteRange[1] - 2;
        if (hex.length > room) {
            throw new SigningFailedException(PadesFormat.ID, ContentsSize.overflow(cms.length, room / 2, tokenLength,
                    options.timestampUrl().orElse(null)));
        }
        try (FileChannel channel = FileChannel.open(prepared, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(hex), byteRange[1] + 1L);
        }
        if (options.level() == BaselineLevel.LTA) {
            Path withDss = Files.createTempFile("kyso-pades-lt-", ".pdf");
            try {
                try (OutputStream lt = Files.newOutputStream(withDss)) {
                    Dss.appendValidationData(prepared, chain, options.networkTimeout(), lt);
                }
                DocTimestamp.append(withDss, options.timestampUrl().orElseThrow(), options.networkTimeout(), out);
            } finally {
                Files.deleteIfExists(withDss);
            }
        } else if (options.level() == BaselineLevel.LT) {
            Dss.appendValidationData(prepared, chain, options.networkTimeout(), out);
        } else {
            Files.copy(prepared, out);
        }
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(prepared);
        } catch (IOException e) {
            prepared.toFile().deleteOnExit();
        }
    }
}
