package vn.kyso.pdf;

import java.io.IOException;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/** Finds where a piece of text is drawn, so an appearance or a form field can be placed on it. */
final class Anchor extends PDFTextStripper {
    private final String wanted;
    private Found found;
    private int page;

    /**
     * Where the text is drawn: 1-based page, left edge and baseline (PDF points from the page's
     * lower-left corner), width and font size of its glyphs.
     */
    record Found(int page, float x, float baseline, float width, float fontSize) {
        float centreX() {
            return x + width / 2;
        }
    }

    private Anchor(String wanted) {
        this.wanted = wanted;
        setSortByPosition(true);
    }

    /** The first occurrence of {@code text} in the document, or null when it is on no page. */
    static Found find(PDDocument doc, String text) throws IOException {
        Anchor anchor = new Anchor(text);
        for (int p = 1; p <= doc.getNumberOfPages() && anchor.found == null; p++) {
            anchor.page = p;
            anchor.setStartPage(p);
            anchor.setEndPage(p);
            anchor.getText(doc);
        }
        return anchor.found;
    }

    /**
     * The 1-based page and rectangle (x, y, width, height) of an appearance of the given size
     * centred on the first occurrence of {@code text}, or null when the text is not on any page.
     */
    static float[] locate(PDDocument doc, String text, float width, float height) throws IOException {
        Found f = find(doc, text);
        if (f == null) {
            return null;
        }
        float centreY = f.baseline() + f.fontSize() * 0.35f;
        return new float[] {f.page(), f.centreX() - width / 2, centreY - height / 2, width, height};
    }

    @Override
    protected void writeString(String text, List<TextPosition> positions) throws IOException {
        int at = text.indexOf(wanted);
        if (found == null && at >= 0 && at + wanted.length() <= positions.size()) {
            TextPosition first = positions.get(at);
            TextPosition last = positions.get(at + wanted.length() - 1);
            float left = first.getXDirAdj();
            float right = last.getXDirAdj() + last.getWidthDirAdj();
            float baseline = first.getPageHeight() - first.getYDirAdj();
            found = new Found(page, left, baseline, right - left, first.getFontSizeInPt());
        }
        super.writeString(text, positions);
    }
}
