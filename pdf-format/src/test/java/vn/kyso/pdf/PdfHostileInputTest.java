package vn.kyso.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSBoolean;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSFloat;
import org.apache.pdfbox.cos.COSInteger;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.kyso.Document;
import vn.kyso.KysoException;
import vn.kyso.ValidationPolicy;
import vn.kyso.VerificationReport;
import vn.kyso.testkit.TestPki;
import vn.kyso.testkit.TestPkiExtension;

/**
 * Small crafted files that would make a naive verifier allocate gigabytes, run for minutes or
 * overflow its stack: each is verified in a separate JVM limited to 128 MB of heap and must end
 * with a report or a typed error. The timeout is only a hang guard.
 */
@ExtendWith(TestPkiExtension.class)
class PdfHostileInputTest {
    private static final long HANG_GUARD_SECONDS = 240;
    private static TestPki pki;

    @TempDir
    Path dir;

    @BeforeAll
    static void start(TestPki shared) {
        pki = shared;
    }

    /** Verifies the file named in {@code args[0]} and prints "REPORT n passed" or "TYPED exception: message". */
    public static void main(String[] args) throws Exception {
        byte[] pdf = Files.readAllBytes(Path.of(args[0]));
        ValidationPolicy policy = ValidationPolicy.builder().revocation(ValidationPolicy.Revocation.NONE).build();
        try {
            VerificationReport report = new PadesFormat().verify(Document.of(pdf, "hostile.pdf"), policy);
            System.out.println("REPORT " + report.signatures().size() + " " + report.allPassed());
            report.signatures().forEach(s -> System.out.println(s.indication() + " " + s.findings()));
        } catch (KysoException e) {
            System.out.println("TYPED " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        System.exit(0);
    }

    /** The output of {@link #main} run on {@code pdf} in a JVM with -Xmx128m; fails on a crash or a hang. */
    private String verifyInSmallJvm(byte[] pdf, String name) throws Exception {
        Path file = Files.write(dir.resolve(name), pdf);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Xmx128m", "-Xss512k", "-cp",
                System.getProperty("java.class.path"), PdfHostileInputTest.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        boolean finished = process.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String text = new String(output, StandardCharsets.UTF_8);
        assertTrue(finished, name + " did not finish: " + text);
        assertEquals(0, process.exitValue(), name + " crashed: " + text);
        assertTrue(text.startsWith("REPORT") || text.startsWith("TYPED"), name + ": " + text);
        return text;
    }

    /** A PDF with {@code objects} (number to body) whose catalog is object 1, with a correct cross-reference table. */
    static byte[] pdf(Map<Integer, byte[]> objects) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n".getBytes(StandardCharsets.ISO_8859_1));
        int size = objects.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        long[] offsets = new long[size];
        for (Map.Entry<Integer, byte[]> e : objects.entrySet()) {
            offsets[e.getKey()] = out.size();
            out.write((e.getKey() + " 0 obj\n").getBytes(StandardCharsets.US_ASCII));
            out.write(e.getValue());
            out.write("\nendobj\n".getBytes(StandardCharsets.US_ASCII));
        }
        long xref = out.size();
        StringBuilder table = new StringBuilder("xref\n0 " + size + "\n0000000000 65535 f \n");
        for (int i = 1; i < size; i++) {
            table.append(offsets[i] == 0 ? "0000000000 65535 f \n" : String.format("%010d 00000 n \n", offsets[i]));
        }
        table.append("trailer\n<< /Size ").append(size).append(" /Root 1 0 R >>\nstartxref\n").append(xref).append("\n%%EOF\n");
        out.write(table.toString().getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Map<Integer, byte[]> onePage() {
        Map<Integer, byte[]> objects = new TreeMap<>();
        objects.put(2, ascii("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"));
        objects.put(3, ascii("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"));
        return objects;
    }

    /** A stream of {@code size} zero bytes, Flate-compressed to about a thousandth of that. */
    private static byte[] bomb(int size) {
        Deflater deflater = new Deflater(9);
        deflater.setInput(new byte[size]);
        deflater.finish();
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        while (!deflater.finished()) {
            compressed.write(buffer, 0, deflater.deflate(buffer));
        }
        byte[] data = compressed.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("<< /Length " + data.length + " /Filter /FlateDecode >>\nstream\n"));
        out.writeBytes(data);
        out.writeBytes(ascii("\nendstream"));
        return out.toByteArray();
    }

    @Test
    void aDssListingOneCompressedBombAThousandTimesIsReadOnce() throws Exception {
        // one 8 MB stream of zeros (8 KB in the file) named 1000 times in each DSS array: read naively
        // that is 24 GB; a viewer shows nothing of it
        Map<Integer, byte[]> objects = onePage();
        String refs = " 5 0 R".repeat(1000);
        objects.put(1, ascii("<< /Type /Catalog /Pages 2 0 R /DSS 4 0 R >>"));
        objects.put(4, ascii("<< /Certs [" + refs + "] /OCSPs [" + refs + "] /CRLs [" + refs + "] >>"));
        objects.put(5, bomb(8 << 20));
        byte[] pdf = pdf(objects);
        assertTrue(pdf.length < 64 * 1024, "the file is small: " + pdf.length);
        String out = verifyInSmallJvm(pdf, "dss-bomb.pdf");
        assertTrue(out.startsWith("REPORT 0 "), out);
    }

    @Test
    void aDssOfManyDistinctBombsIsATypedError() throws Exception {
        // twelve different 8 MB bombs: 96 MB of "validation data" from a 100 KB file
        Map<Integer, byte[]> objects = onePage();
        StringBuilder refs = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            objects.put(10 + i, bomb(8 << 20));
            refs.append(' ').append(10 + i).append(" 0 R");
        }
        objects.put(1, ascii("<< /Type /Catalog /Pages 2 0 R /DSS 4 0 R >>"));
        objects.put(4, ascii("<< /Certs [" + refs + "] /CRLs [" + refs + "] >>"));
        String out = verifyInSmallJvm(pdf(objects), "dss-bombs.pdf");
        assertTrue(out.startsWith("TYPED DocumentMalformedException") && out.contains("DSS"), out);
    }

    @Test
    void thousandsOfSignaturesAreATypedError() throws Exception {
        // 5000 signature fields, each claiming to cover the file
        Map<Integer, byte[]> objects = onePage();
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            int field = 100 + 2 * i;
            objects.put(field, ascii("<< /FT /Sig /T (s" + i + ") /V " + (field + 1) + " 0 R >>"));
            objects.put(field + 1, ascii("<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached "
                    + "/ByteRange [0 10 20 10] /Contents <3000> >>"));
            fields.append(' ').append(field).append(" 0 R");
        }
        objects.put(1, ascii("<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [" + fields + "] /SigFlags 3 >> >>"));
        String out = verifyInSmallJvm(pdf(objects), "signatures.pdf");
        assertTrue(out.startsWith("TYPED DocumentMalformedException") && out.contains("5000 signatures"), out);
    }

    @Test
    void deeplyNestedObjectsEndInAReportOrATypedError() throws Exception {
        // direct arrays nested 200 000 deep in the page dictionary
        Map<Integer, byte[]> direct = onePage();
        direct.put(1, ascii("<< /Type /Catalog /Pages 2 0 R >>"));
        direct.put(3, ascii("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Deep " + "[".repeat(200_000)
                + "]".repeat(200_000) + " >>"));
        verifyInSmallJvm(pdf(direct), "nested-direct.pdf");
        // a page tree 20 000 /Pages nodes deep
        Map<Integer, byte[]> tree = new TreeMap<>();
        tree.put(1, ascii("<< /Type /Catalog /Pages 2 0 R >>"));
        int depth = 20_000;
        for (int i = 0; i < depth; i++) {
            int node = 2 + i;
            String parent = i == 0 ? "" : " /Parent " + (node - 1) + " 0 R";
            tree.put(node, ascii("<< /Type /Pages /Kids [" + (node + 1) + " 0 R] /Count 1" + parent + " >>"));
        }
        tree.put(2 + depth, ascii("<< /Type /Page /Parent " + (1 + depth) + " 0 R /MediaBox [0 0 595 842] >>"));
        verifyInSmallJvm(pdf(tree), "deep-page-tree.pdf");
    }

    @Test
    void aSignedLetterUpdatedWithADeepSharedGraphIsComparedWithoutExploding() throws Exception {
        byte[] signed = TestPdfs.sign(TestPdfs.letter(1, "Chi tra 1.000.000 dong"), pki.person(),
                PadesOptions.builder().build(), dir);
        // the update adds to the page a chain of 100 000 arrays, each naming the next one twice: 2^100000 paths
        // through a graph of 100 000 objects; a viewer ignores the unknown entry
        byte[] attacked = appendPageEntry(signed, "/Deep", 100_000);
        String out = verifyInSmallJvm(attacked, "deep-graph.pdf");
        assertTrue(out.startsWith("REPORT 1 false") && out.contains("TOTAL_FAILED"), out);
    }

    /**
     * {@code signed} with an incremental update that adds {@code key} to its first page, naming the
     * first of {@code depth} arrays, each of which names the next twice.
     */
    private static byte[] appendPageEntry(byte[] signed, String key, int depth) throws IOException {
        String pageText;
        int pageNumber;
        int size;
        long prev;
        try (PDDocument doc = Loader.loadPDF(signed)) {
            COSDictionary page = doc.getPage(0).getCOSObject();
            pageNumber = (int) page.getKey().getNumber();
            size = (int) doc.getDocument().getTrailer().getLong(COSName.SIZE);
            prev = doc.getDocument().getStartXref();
            pageText = serialize(page).replaceFirst(">>$", key + " " + size + " 0 R >>");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(signed);
        out.writeBytes(ascii("\n"));
        long[] offsets = new long[depth];
        for (int i = 0; i < depth; i++) {
            offsets[i] = out.size();
            String body = i + 1 < depth ? "[" + (size + i + 1) + " 0 R " + (size + i + 1) + " 0 R]" : "[]";
            out.writeBytes(ascii((size + i) + " 0 obj\n" + body + "\nendobj\n"));
        }
        long pageOffset = out.size();
        out.writeBytes(ascii(pageNumber + " 0 obj\n" + pageText + "\nendobj\n"));
        long xref = out.size();
        StringBuilder table = new StringBuilder("xref\n" + pageNumber + " 1\n" + String.format("%010d 00000 n \n", pageOffset));
        table.append(size).append(' ').append(depth).append('\n');
        for (long offset : offsets) {
            table.append(String.format("%010d 00000 n \n", offset));
        }
        table.append("trailer\n<< /Size ").append(size + depth).append(" /Root ")
                .append(rootReference(signed)).append(" /Prev ").append(prev).append(" >>\nstartxref\n")
                .append(xref).append("\n%%EOF\n");
        out.writeBytes(ascii(table.toString()));
        return out.toByteArray();
    }

    private static String rootReference(byte[] pdf) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            COSBase root = doc.getDocument().getTrailer().getItem(COSName.ROOT);
            return ((COSObject) root).getKey().getNumber() + " " + ((COSObject) root).getKey().getGeneration() + " R";
        }
    }

    /** PDF syntax for a small direct object, indirect references kept as references. */
    private static String serialize(COSBase base) {
        if (base instanceof COSObject ref) {
            return ref.getKey().getNumber() + " " + ref.getKey().getGeneration() + " R";
        } else if (base instanceof COSName name) {
            return "/" + name.getName();
        } else if (base instanceof COSInteger n) {
            return Long.toString(n.longValue());
        } else if (base instanceof COSFloat f) {
            return Float.toString(f.floatValue());
        } else if (base instanceof COSBoolean b) {
            return Boolean.toString(b.getValue());
        } else if (base instanceof COSString s) {
            return "<" + s.toHexString() + ">";
        } else if (base instanceof COSArray array) {
            List<String> items = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                items.add(serialize(array.get(i)));
            }
            return "[" + String.join(" ", items) + "]";
        } else if (base instanceof COSDictionary dict) {
            StringBuilder out = new StringBuilder("<<");
            for (Map.Entry<COSName, COSBase> e : dict.entrySet()) {
                out.append(' ').append(serialize(e.getKey())).append(' ').append(serialize(e.getValue()));
            }
            return out.append(" >>").toString();
        }
        return "null";
    }
    @Test
    void aDssEntryBehindAChainOfFiltersIsNotDecoded() throws Exception {
        // Flate over RunLength: 40 KB in the file, about 2.5 GB once both stages are decoded, and a
        // decoder materializes each stage whole before the next reads it
        byte[] data = chainBomb();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(ascii("<< /Length " + data.length + " /Filter [/FlateDecode /RunLengthDecode] >>\nstream\n"));
        stream.writeBytes(data);
        stream.writeBytes(ascii("\nendstream"));
        Map<Integer, byte[]> objects = onePage();
        objects.put(1, ascii("<< /Type /Catalog /Pages 2 0 R /DSS 4 0 R >>"));
        objects.put(4, ascii("<< /Certs [5 0 R] /CRLs [5 0 R] >>"));
        objects.put(5, stream.toByteArray());
        byte[] pdf = pdf(objects);
        assertTrue(pdf.length < 256 * 1024, "the file is small: " + pdf.length);
        String out = verifyInSmallJvm(pdf, "dss-chain.pdf");
        assertTrue(out.startsWith("REPORT 0 "), out);
    }
    /** 40 MB of RunLength runs (each 128 zero bytes) Flate-compressed to about 40 KB. */
    private static byte[] chainBomb() {
        byte[] runs = new byte[40 << 20];
        for (int i = 0; i < runs.length; i += 2) {
            runs[i] = (byte) 0x81; // repeat the next byte 128 times
        }
        Deflater deflater = new Deflater(9);
        deflater.setInput(runs);
        deflater.finish();
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        while (!deflater.finished()) {
            compressed.write(buffer, 0, deflater.deflate(buffer));
        }
        return compressed.toByteArray();
    }

    @Test
    void aFieldFilledLaterWithAnAppearanceBehindAChainOfFiltersIsJudgedWithoutDecodingIt() throws Exception {
        byte[] signed = TestPdfs.sign(TestPdfs.draftWithFields(), pki.person(), PadesOptions.builder().build(), dir);
        // the number field is filled by another tool whose appearance stream is the chain bomb
        byte[] filled;
        try (PDDocument doc = Loader.loadPDF(signed)) {
            org.apache.pdfbox.pdmodel.interactive.form.PDField field = doc.getDocumentCatalog().getAcroForm().getField("so_vb");
            field.getCOSObject().setString(COSName.V, "2806");
            field.getCOSObject().setNeedToBeUpdated(true);
            org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget widget = field.getWidgets().get(0);
            org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream look =
                    new org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream(doc);
            look.setBBox(widget.getRectangle());
            try (java.io.OutputStream out = look.getCOSObject().createRawOutputStream()) {
                out.write(chainBomb());
            }
            COSArray filters = new COSArray();
            filters.add(COSName.FLATE_DECODE);
            filters.add(COSName.RUN_LENGTH_DECODE);
            look.getCOSObject().setItem(COSName.FILTER, filters);
            org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary ap =
                    new org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary();
            ap.setNormalAppearance(look);
            widget.setAppearance(ap);
            widget.getCOSObject().setNeedToBeUpdated(true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.saveIncremental(out);
            filled = out.toByteArray();
        }
        String out = verifyInSmallJvm(filled, "fill-chain.pdf");
        assertTrue(out.startsWith("REPORT 1 "), out);
    }
}
