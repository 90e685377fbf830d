package vn.kyso.pdf;

import java.io.IOException;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/** Finds where a piece of text is drawn, so an appearance can be placed on it. */
final class Anchor extends PDFTextStripper {
    private final String wanted;
    private int foundPage = -1;
    private float x;
    private float y;

    private Anchor(String wanted) {
        this.wanted = wanted;
        setSortByPosition(true);
    }

    /**
     * The 1-based page and rectangle (x, y, width, height) of an appearance of the given size
     * centred on the first occurrence of {@code text}, or null when the text is not on any page.
     */
    static float[] locate(PDDocument doc, String text, float width, float height) throws IOException {
        Anchor anchor = new Anchor(text);
        for (int p = 1; p <= doc.getNumberOfPages() && anchor.foundPage < 0; p++) {
            anchor.setStartPage(p);
            anchor.setEndPage(p);
            anchor.getText(doc);
            if (anchor.x >= 0 && anchor.foundPage == 0) {
                anchor.foundPage = p;
            }
        }
        if (anchor.foundPage < 0) {
            return null;
        }
        return new float[] {anchor.foundPage, anchor.x - width / 2, anchor.y - height / 2, width, height};
    }

    @Override
    protected void writeString(String text, List<TextPosition> positions) throws IOException {
        int at = text.indexOf(wanted);
        if (foundPage < 0 && at >= 0 && at + wanted.length() <= positions.size()) {
            TextPosition first = positions.get(at);
            TextPosition last = positions.get(at + wanted.length() - 1);
            float pageHeight = first.getPageHeight();
            x = (first.getXDirAdj() + last.getXDirAdj() + last.getWidthDirAdj()) / 2;
            y = pageHeight - first.getYDirAdj() + first.getHeightDir() / 2;
            foundPage = 0;
        }
        super.writeString(text, positions);
    }
}
