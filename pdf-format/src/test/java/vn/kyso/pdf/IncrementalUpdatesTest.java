package vn.kyso.pdf;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdfwriter.compress.CompressParameters;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Test;

/** What may follow a signed revision: well-formed incremental updates, whitespace and comments, nothing else. */
class IncrementalUpdatesTest {

    private static String problem(byte[] pdf, long from) throws Exception {
        try (RandomAccessReadBuffer file = new RandomAccessReadBuffer(pdf)) {
            return IncrementalUpdates.problem(file, from);
        }
    }

    private static byte[] letter(boolean compressed) throws Exception {
        try (PDDocument doc = Loader.loadPDF(TestPdfs.letter(1, "Cong van"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out, compressed ? CompressParameters.DEFAULT_COMPRESSION : CompressParameters.NO_COMPRESSION);
            return out.toByteArray();
        }
    }

    /** {@code pdf} with a PDFBox incremental update that sets the document's title. */
    private static byte[] pdfboxUpdate(byte[] pdf) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            doc.getDocumentInformation().setTitle("Cong van so 12");
            doc.getDocumentInformation().getCOSObject().setNeedToBeUpdated(true);
            doc.getDocument().getTrailer().setNeedToBeUpdated(true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.saveIncremental(out);
            return out.toByteArray();
        }
    }

    private static long startxref(byte[] pdf) {
        String text = new String(pdf, StandardCharsets.ISO_8859_1);
        return Long.parseLong(text.substring(text.lastIndexOf("startxref") + 9, text.lastIndexOf("%%EOF")).trim());
    }

    /**
     * {@code pdf} with a hand-written update defining object 900 (whose header is preceded by
     * {@code lead}), its table entry {@code shift} bytes off, and {@code trailerExtra} in the trailer.
     */
    private static byte[] handUpdate(byte[] pdf, String lead, int shift, String trailerExtra) {
        String text = new String(pdf, StandardCharsets.ISO_8859_1);
        StringBuilder out = new StringBuilder(text).append(lead);
        long offset = out.length() + shift;
        out.append("900 0 obj\n<< /Note (added) >>\nendobj\n");
        long xref = out.length();
        out.append("xref\n900 1\n").append(String.format("%010d 00000 n \n", offset))
                .append("trailer\n<< /Size 901 /Prev ").append(startxref(pdf)).append(trailerExtra)
                .append(" >>\nstartxref\n").append(xref).append("\n%%EOF\n");
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void updatesWrittenByPdfboxWithATableOrAStreamAreWellFormed() throws Exception {
        for (boolean compressed : new boolean[] {false, true}) {
            byte[] base = letter(compressed);
            byte[] updated = pdfboxUpdate(pdfboxUpdate(base));
            assertNull(problem(updated, base.length), "compressed=" + compressed);
            assertNull(problem(base, base.length));
        }
    }

    @Test
    void blanksCommentsAndAnEntryPointingAtTheBlanksBeforeItsObjectAreAccepted() throws Exception {
        byte[] base = letter(false);
        assertNull(problem(handUpdate(base, "\n", 0, ""), base.length));
        assertNull(problem(handUpdate(base, "\n  ", -2, ""), base.length));
        byte[] trailing = (new String(handUpdate(base, "\n", 0, ""), StandardCharsets.ISO_8859_1) + "\r\n% a comment\n\0\0")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertNull(problem(trailing, base.length));
    }

    @Test
    void aHybridUpdateListsItsObjectsInItsStream() throws Exception {
        byte[] base = letter(false);
        assertNull(problem(handUpdate(base, "\n", 40, " /XRefStm 0"), base.length));
    }

    @Test
    void objectsWithoutTheirOwnCrossReferenceSectionAreNotAnUpdate() throws Exception {
        byte[] base = letter(false);
        String text = new String(base, StandardCharsets.ISO_8859_1);
        String object = "\n4 0 obj\n<< /Length 9 >>\nstream\nBT (x) ET\nendstream\nendobj\n";
        for (String appended : new String[] {object, object + "%%EOF\n",
            object + "startxref\n" + startxref(base) + "\n%%EOF\n", "\nnot a pdf at all"}) {
            String problem = problem((text + appended).getBytes(StandardCharsets.ISO_8859_1), base.length);
            assertNotNull(problem, appended);
        }
    }

    @Test
    void anObjectTheUpdatesTableDoesNotListIsRejected() throws Exception {
        byte[] base = letter(false);
        assertTrue(problem(handUpdate(base, "\n", 40, ""), base.length).contains("not in its update's cross-reference section"));
    }
    /**
     * {@code pdf} with an update whose cross-reference stream lists objects 900 and 902 (itself)
     * and, when {@code listSecond}, 901; objects 900 and 901 are both in its body.
     */
    private static byte[] streamUpdate(byte[] pdf, boolean listSecond) throws Exception {
        String root;
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            org.apache.pdfbox.cos.COSObject ref = (org.apache.pdfbox.cos.COSObject) doc.getDocument().getTrailer()
                    .getItem(org.apache.pdfbox.cos.COSName.ROOT);
            root = ref.getKey().getNumber() + " " + ref.getKey().getGeneration() + " R";
        }
        StringBuilder out = new StringBuilder(new String(pdf, StandardCharsets.ISO_8859_1)).append('\n');
        long first = out.length();
        out.append("900 0 obj\n<< /Note (listed) >>\nendobj\n");
        long second = out.length();
        out.append("901 0 obj\n<< /Note (hidden) >>\nendobj\n");
        long xref = out.length();
        StringBuilder entries = new StringBuilder();
        for (long offset : listSecond ? new long[] {first, second, xref} : new long[] {first, xref}) {
            entries.append((char) 1);
            for (int shift = 24; shift >= 0; shift -= 8) {
                entries.append((char) ((offset >> shift) & 0xff));
            }
            entries.append((char) 0).append((char) 0);
        }
        String index = listSecond ? "[900 3]" : "[900 1 902 1]";
        out.append("902 0 obj\n<< /Type /XRef /Size 903 /Index ").append(index).append(" /W [1 4 2] /Root ").append(root)
                .append(" /Prev ").append(startxref(pdf)).append(" /Length ").append(entries.length())
                .append(" >>\nstream\n").append(entries).append("\nendstream\nendobj\nstartxref\n").append(xref)
                .append("\n%%EOF\n");
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String problemWithXref(byte[] pdf, long from) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf); RandomAccessReadBuffer file = new RandomAccessReadBuffer(pdf)) {
            return IncrementalUpdates.problem(file, from, doc.getDocument().getXrefTable());
        }
    }

    @Test
    void anObjectACrossReferenceStreamDoesNotListIsRejected() throws Exception {
        byte[] base = letter(false);
        assertNull(problemWithXref(streamUpdate(base, true), base.length));
        String problem = problemWithXref(streamUpdate(base, false), base.length);
        assertTrue(problem != null && problem.contains("object 901 0"), problem);
    }

    @Test
    void anObjectAfterTheCrossReferenceSectionIsRejected() throws Exception {
        byte[] base = letter(false);
        String update = new String(handUpdate(base, "\n", 0, ""), StandardCharsets.ISO_8859_1);
        int startxref = update.lastIndexOf("startxref");
        byte[] stray = (update.substring(0, startxref) + "4 0 obj\n<< >>\nendobj\n" + update.substring(startxref))
                .getBytes(StandardCharsets.ISO_8859_1);
        String problem = problem(stray, base.length);
        assertTrue(problem != null && problem.contains("follows its update's cross-reference section"), problem);
    }
}
