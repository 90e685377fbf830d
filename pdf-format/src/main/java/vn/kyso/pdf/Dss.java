package vn.kyso.pdf;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import vn.kyso.ServiceUnavailableException;
import vn.kyso.internal.validation.Net;

/**
 * The Document Security Store of PAdES B-LT: certificates and OCSP responses (CRLs where no
 * OCSP answers) for the signer's chain, with a VRI entry for the signature, so the signature can
 * be validated years later without the CA's services.
 */
final class Dss {
    static final COSName DSS = COSName.getPDFName("DSS");
    static final COSName VRI = COSName.getPDFName("VRI");
    static final COSName CERTS = COSName.getPDFName("Certs");
    static final COSName OCSPS = COSName.getPDFName("OCSPs");
    static final COSName CRLS = COSName.getPDFName("CRLs");
    static final COSName CERT = COSName.getPDFName("Cert");
    static final COSName OCSP = COSName.getPDFName("OCSP");
    static final COSName CRL = COSName.getPDFName("CRL");

    private Dss() {
    }

    static void appendValidationData(Path signedPdf, List<X509Certificate> chain, Duration timeout, OutputStream out)
            throws IOException, ServiceUnavailableException {
        List<byte[]> ocsps = new ArrayList<>();
        List<byte[]> crls = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate cert = chain.get(i);
            // the last certificate's issuer (usually the root) is not in the chain a signer sends
            Optional<X509Certificate> issuer = i + 1 < chain.size() ? Optional.of(chain.get(i + 1))
                    : selfIssued(cert) ? Optional.empty() : Net.caIssuer(cert, timeout);
            if (issuer.isEmpty()) {
                continue;
            }
            Optional<byte[]> ocsp = Net.ocsp(cert, issuer.get(), timeout);
            if (ocsp.isPresent()) {
                ocsps.add(ocsp.get());
                continue;
            }
            Optional<byte[]> crl = Net.crl(cert, timeout);
            if (crl.isPresent()) {
                crls.add(crl.get());
            } else if (i == 0) {
                throw new ServiceUnavailableException(PadesFormat.ID, "no OCSP response or CRL could be fetched for "
                        + cert.getSubjectX500Principal().getName() + ": level LT needs them; retry later or sign at level T");
            }
        }
        try (PDDocument doc = Loader.loadPDF(new RandomAccessReadBufferedFile(signedPdf.toFile()), "",
                IOUtils.createTempFileOnlyStreamCache())) {
            List<PDSignature> signatures = doc.getSignatureDictionaries();
            PDSignature last = signatures.get(signatures.size() - 1);
            COSDictionary catalog = doc.getDocumentCatalog().getCOSObject();
            COSDictionary dss = catalog.getCOSDictionary(DSS);
            if (dss == null) {
                dss = new COSDictionary();
                catalog.setItem(DSS, dss);
            }
            COSArray certStreams = streams(doc, encoded(chain));
            COSArray ocspStreams = streams(doc, ocsps);
            COSArray crlStreams = streams(doc, crls);
            append(dss, CERTS, certStreams);
            append(dss, OCSPS, ocspStreams);
            append(dss, CRLS, crlStreams);
            COSDictionary vri = dss.getCOSDictionary(VRI);
            if (vri == null) {
                vri = new COSDictionary();
                dss.setItem(VRI, vri);
            }
            COSDictionary entry = new COSDictionary();
            entry.setItem(CERT, certStreams);
            entry.setItem(OCSP, ocspStreams);
            entry.setItem(CRL, crlStreams);
            entry.setNeedToBeUpdated(true);
            vri.setItem(COSName.getPDFName(vriKey(last.getContents())), entry);
            vri.setNeedToBeUpdated(true);
            dss.setNeedToBeUpdated(true);
            catalog.setNeedToBeUpdated(true);
            doc.saveIncremental(out);
        }
    }

    private static boolean selfIssued(X509Certificate cert) {
        return cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal());
    }

    private static void append(COSDictionary dss, COSName key, COSArray added) {
        COSArray existing = dss.getCOSArray(key);
        if (existing == null) {
            existing = new COSArray();
            dss.setItem(key, existing);
        }
        existing.addAll(added);
        existing.setNeedToBeUpdated(true);
    }

    private static COSArray streams(PDDocument doc, List<byte[]> items) throws IOException {
        COSArray array = new COSArray();
        for (byte[] item : items) {
            COSStream stream = doc.getDocument().createCOSStream();
            try (OutputStream s = stream.createOutputStream(COSName.FLATE_DECODE)) {
                s.write(item);
            }
            stream.setNeedToBeUpdated(true);
            array.add(stream);
        }
        array.setNeedToBeUpdated(true);
        return array;
    }

    private static List<byte[]> encoded(List<X509Certificate> chain) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (X509Certificate c : chain) {
            try {
                out.add(c.getEncoded());
            } catch (CertificateEncodingException e) {
                throw new IOException("cannot encode " + c.getSubjectX500Principal(), e);
            }
        }
        return out;
    }

    /** The VRI key of a signature: upper-case hex SHA-1 of its /Contents bytes. */
    static String vriKey(byte[] contents) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(contents));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
