package vn.kyso.xml;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import vn.kyso.Document;
import vn.kyso.KysoException;
import vn.kyso.PendingSignature;
import vn.kyso.SignOptions;
import vn.kyso.SignRequest;
import vn.kyso.SigningFailedException;
import vn.kyso.internal.validation.Net;

/**
 * An XML document scanned for signing: the digest of its canonical SignedInfo is the request; on
 * completion the signature is checked, timestamped if asked, and written into the copy of the
 * input at the slot, every other byte unchanged. Holds no temporary file.
 */
final class XadesPending implements PendingSignature {
    private final Document document;
    private final long size;
    private final FileTime modified;
    private final SlotLocator.Insertion insertion;
    private final String slotQname;
    private final SignatureTemplate template;
    private final List<X509Certificate> chain;
    private final SignRequest request;
    private final SignOptions options;
    private final boolean timestamp;
    private boolean completed;

    XadesPending(Document document, long size, FileTime modified, SlotLocator.Insertion insertion, String slotQname,
            SignatureTemplate template, List<X509Certificate> chain, SignRequest request, SignOptions options,
            boolean timestamp) {
        this.document = document;
        this.size = size;
        this.modified = modified;
        this.insertion = insertion;
        this.slotQname = slotQname;
        this.template = template;
        this.chain = List.copyOf(chain);
        this.request = request;
        this.options = options;
        this.timestamp = timestamp;
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
        java.util.Objects.requireNonNull(signatureValue, "signatureValue must not be null");
        java.util.Objects.requireNonNull(out, "out must not be null");
        X509Certificate leaf = chain.get(0);
        if (!XmlAlgorithms.verifies(request.algorithm(), leaf.getPublicKey(), template.signedInfo(), signatureValue)) {
            throw new SigningFailedException(XadesFormat.ID, "the signature value returned for "
                    + leaf.getSubjectX500Principal().getName() + " does not verify with its certificate: the key and"
                    + " certificate do not match, or the device answered garbage; nothing was written");
        }
        template.signatureValue(XmlAlgorithms.xmlValue(request.algorithm(), leaf.getPublicKey(), signatureValue));
        if (timestamp) {
            byte[] imprint = options.digest().digest(template.canonicalSignatureValue());
            template.signatureTimeStamp(Net.timestamp(XadesFormat.ID, options.timestampUrl().orElseThrow(),
                    options.digest(), imprint, options.networkTimeout()));
        }
        checkUnchanged();
        byte[] signature = template.bytes();
        try (InputStream in = document.open()) {
            copy(in, out, insertion.offset());
            if (insertion.empty()) {
                expect(in, "/>");
                out.write('>');
                out.write(signature);
                out.write(("</" + slotQname + ">").getBytes(StandardCharsets.UTF_8));
            } else {
                byte[] endTag = ("</" + slotQname).getBytes(StandardCharsets.UTF_8);
                byte[] seen = in.readNBytes(endTag.length);
                if (!Arrays.equals(seen, endTag)) {
                    throw changed();
                }
                out.write(signature);
                out.write(seen);
            }
            in.transferTo(out);
        }
    }

    private void checkUnchanged() throws IOException {
        if (document.size() != size) {
            throw changed();
        }
        if (modified != null) {
            Path file = document.file().orElseThrow();
            if (!Files.getLastModifiedTime(file).equals(modified)) {
                throw changed();
            }
        }
    }

    private IOException changed() {
        return new IOException(document.name() + " changed between preparing and completing its signature;"
                + " nothing was written: sign it again");
    }

    private void expect(InputStream in, String ascii) throws IOException {
        byte[] want = ascii.getBytes(StandardCharsets.US_ASCII);
        if (!Arrays.equals(in.readNBytes(want.length), want)) {
            throw changed();
        }
    }

    private static void copy(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = n;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                throw new java.io.EOFException("input ended before the signature's place");
            }
            out.write(buf, 0, r);
            left -= r;
        }
    }

    @Override
    public void close() {
        // nothing temporary: the input is read again on completion
    }
}
