package vn.kyso.pdf;

import java.io.IOException;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.ZoneId;
import java.util.Calendar;
import java.util.List;
import java.util.Objects;
import java.util.TimeZone;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;
import vn.kyso.Certificates;
import vn.kyso.Document;
import vn.kyso.DocumentMalformedException;
import vn.kyso.KysoException;
import vn.kyso.PendingSignature;
import vn.kyso.SignOptions;
import vn.kyso.SignRequest;
import vn.kyso.SignatureAlgorithm;
import vn.kyso.SignatureFormat;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;

/**
 * Format "pades": PAdES signatures on PDF documents (baseline B, T, LT and LTA), each added as an
 * incremental update so earlier signatures stay valid (LTA adds a document timestamp after the DSS), and verification of every signature a
 * PDF carries. Stateless and thread-safe.
 */
public final class PadesFormat implements SignatureFormat {
    static final String ID = "pades";
    static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");
    private static final byte[] MAGIC = {'%', 'P', 'D', 'F', '-'};

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean accepts(Document document) throws IOException {
        return startsWithPdfHeader(document.head(1024));
    }

    static boolean startsWithPdfHeader(byte[] head) {
        outer:
        for (int i = 0; i + MAGIC.length <= head.length; i++) {
            for (int j = 0; j < MAGIC.length; j++) {
                if (head[i + j] != MAGIC[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException also when the options carry another format's options (XmlOptions):
     *     only {@link PadesOptions} apply to a PDF
     */
    @Override
    public PendingSignature prepare(Document document, List<X509Certificate> chain, SignatureAlgorithm algorithm,
            SignOptions options) throws KysoException, IOException {
        Objects.requireNonNull(document, "document must not be null");
        Objects.requireNonNull(chain, "chain must not be null");
        Objects.requireNonNull(algorithm, "algorithm must not be null");
        Objects.requireNonNull(options, "options must not be null");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain must hold at least the signing certificate");
        }
        if (!algorithm.fits(chain.get(0).getPublicKey())) {
            throw new IllegalArgumentException(algorithm + " does not fit the certificate's " + chain.get(0)
                    .getPublicKey().getAlgorithm() + " key");
        }
        if (!accepts(document)) {
            throw new DocumentMalformedException(ID, document.name() + " is not a PDF (no %PDF- header): "
                    + "check that the right file was chosen");
        }
        PadesOptions pdf0 = options.formatOptions(PadesOptions.class).orElse(PadesOptions.builder().build());
        try (PdfSource source = PdfSource.open(document)) {
            PreparedPdf prepared;
            try (PDDocument doc = source.load(); SignatureOptions reserve = new SignatureOptions()) {
                PadesOptions pdf = pdf0;
                PDSignature signature = new PDSignature();
                signature.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
                signature.setSubFilter(COSName.getPDFName(pdf.subFilter().pdfName()));
                signature.setName(Certificates.commonName(chain.get(0)));
                Calendar time = Calendar.getInstance(TimeZone.getTimeZone(VIETNAM));
                time.setTimeInMillis(options.clock().millis());
                signature.setSignDate(time);
                if (!pdf.reason().isEmpty()) {
                    signature.setReason(pdf.reason());
                }
                if (!pdf.location().isEmpty()) {
                    signature.setLocation(pdf.location());
                }
                reserve.setPreferredSignatureSize(ContentsSize.reserve(chain, algorithm, options.level()));
                if (!pdf.anchor().isEmpty()) {
                    float[] size = pdf.rectangle();
                    float[] found = Anchor.locate(doc, pdf.anchor(), size[2], size[3]);
                    if (found == null) {
                        throw new IllegalArgumentException("the anchor text \"" + pdf.anchor() + "\" is not on any page of "
                                + document.name() + ": place the signature by page and rectangle instead");
                    }
                    pdf = pdf.placedAt((int) found[0], found[1], found[2], found[3], found[4]);
                }
                DocMdp.check(doc, pdf, document.name());
                FormFill.apply(doc, pdf.fills(), pdf.font(), document.name());
                if (pdf.certification().isPresent()) {
                    DocMdp.certify(doc, signature, pdf.certification().get());
                }
                if (pdf.visible()) {
                    int pageIndex = pdf.page() - 1;
                    if (pageIndex >= doc.getNumberOfPages()) {
                        throw new IllegalArgumentException("page " + pdf.page() + " asked for the signature, but "
                                + document.name() + " has " + doc.getNumberOfPages() + " pages");
                    }
                    reserve.setVisualSignature(Appearance.template(doc.getPage(pageIndex).getMediaBox(), pdf,
                            time.toInstant().atZone(VIETNAM).toOffsetDateTime(), Certificates.commonName(chain.get(0))));
                    reserve.setPage(pageIndex);
                }
                doc.addSignature(signature, reserve);
                prepared = PreparedPdf.save(doc, signature, source, algorithm.digest());
            }
            byte[] signedAttributes = Cms.signedAttributes(prepared.contentDigest(), chain.get(0));
            SignRequest request = SignRequest.of(algorithm, algorithm.digest().digest(signedAttributes),
                    options.displayText()).forDocument(ID, options.documentType().isEmpty() ? "PDF" : options.documentType());
            return new PadesPending(prepared, signedAttributes, chain, request, options);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The PDF's incremental update (signature dictionary, appearance, filled fields, /ID) comes
     * from the state as it was written at preparation; the digest to sign is recomputed from the
     * document and that update. A timestamp (level T and above) is fetched on completion.
     */
    @Override
    public PendingSignature resume(Document original, byte[] state) throws KysoException, IOException {
        Objects.requireNonNull(original, "original must not be null");
        Objects.requireNonNull(state, "state must not be null");
        return PadesPending.resume(original, state);
    }

    @Override
    public VerificationReport verify(Document document, ValidationPolicy policy) throws KysoException, IOException {
        Objects.requireNonNull(document, "document must not be null");
        Objects.requireNonNull(policy, "policy must not be null");
        return PdfVerifier.verify(document, policy);
    }

    /** Loads a PDF, file-backed ones through a temp-file cache so large scans never fill the heap. */
    static PDDocument load(Document document) throws DocumentMalformedException, IOException {
        try {
            if (document.file().isPresent()) {
                return Loader.loadPDF(new RandomAccessReadBufferedFile(document.file().get().toFile()), "",
                        IOUtils.createTempFileOnlyStreamCache());
            }
            return Loader.loadPDF(document.readAllBytes(), "", null, null, IOUtils.createTempFileOnlyStreamCache());
        } catch (IOException e) {
            throw unreadable(document, e);
        }
    }

    /**
     * What a failure to read {@code document} as a PDF means: the typed error to throw, or
     * {@code e} itself, rethrown, when the file cannot be read at all.
     */
    static DocumentMalformedException unreadable(Document document, IOException e) throws IOException {
        if (e instanceof org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException) {
            return new DocumentMalformedException(ID, document.name() + " is password-protected: remove the password "
                    + "before signing", e);
        }
        if (document.file().isPresent() && !Files.isReadable(document.file().get())) {
            throw e;
        }
        return new DocumentMalformedException(ID, document.name() + " cannot be read as a PDF (" + e.getMessage()
                + "): the file is damaged or truncated; ask the sender for it again", e);
    }
}
