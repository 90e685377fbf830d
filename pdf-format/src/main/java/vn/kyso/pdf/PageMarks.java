package vn.kyso.pdf;

import java.awt.geom.Point2D;
import java.io.IOException;
import java.util.List;
import org.apache.pdfbox.contentstream.PDFGraphicsStreamEngine;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.graphics.image.PDImage;
import org.apache.pdfbox.pdmodel.graphics.state.RenderingMode;
import org.apache.pdfbox.util.Matrix;
import org.apache.pdfbox.util.Vector;

/**
 * What a page's own content draws inside given rectangles: visible glyphs (their centres), and
 * painted areas (images, filled paths, shadings). Used to tell whether a form field filled after
 * a signature lies over signed content, the shadow-attack pattern of hiding or replacing it.
 * Annotations are not part of the page content and are not looked at.
 */
final class PageMarks extends PDFGraphicsStreamEngine {
    private final List<PDRectangle> targets;
    private final boolean[] text;
    private final boolean[] painted;
    private float minX;
    private float minY;
    private float maxX;
    private float maxY;
    private boolean pathEmpty = true;

    private PageMarks(PDPage page, List<PDRectangle> targets) {
        super(page);
        this.targets = targets;
        this.text = new boolean[targets.size()];
        this.painted = new boolean[targets.size()];
    }

    /** For each target rectangle: [0] visible text of the page inside it, [1] painted areas overlapping it. */
    static boolean[][] inside(PDPage page, List<PDRectangle> targets) throws IOException {
        PageMarks marks = new PageMarks(page, targets);
        marks.processPage(page);
        return new boolean[][] {marks.text, marks.painted};
    }

    @Override
    protected void showGlyph(Matrix trm, PDFont font, int code, Vector displacement) throws IOException {
        if (getGraphicsState().getTextState().getRenderingMode() == RenderingMode.NEITHER) {
            return;
        }
        String unicode = font.toUnicode(code);
        if (unicode != null ? unicode.isBlank() : code == 32) {
            return;
        }
        float size = Math.abs(trm.getScalingFactorY());
        float cx = trm.getTranslateX() + displacement.getX() * trm.getScalingFactorX() / 2;
        float cy = trm.getTranslateY() + size * 0.3f;
        for (int i = 0; i < targets.size(); i++) {
            PDRectangle r = targets.get(i);
            if (cx > r.getLowerLeftX() && cx < r.getUpperRightX() && cy > r.getLowerLeftY() && cy < r.getUpperRightY()) {
                text[i] = true;
            }
        }
    }

    private void paint(float x0, float y0, float x1, float y1) {
        for (int i = 0; i < targets.size(); i++) {
            PDRectangle r = targets.get(i);
            float w = Math.min(x1, r.getUpperRightX()) - Math.max(x0, r.getLowerLeftX());
            float h = Math.min(y1, r.getUpperRightY()) - Math.max(y0, r.getLowerLeftY());
            if (w > 0.5f && h > 0.5f) {
                painted[i] = true;
            }
        }
    }

    private void extend(double x, double y) {
        if (pathEmpty) {
            minX = maxX = (float) x;
            minY = maxY = (float) y;
            pathEmpty = false;
        } else {
            minX = Math.min(minX, (float) x);
            maxX = Math.max(maxX, (float) x);
            minY = Math.min(minY, (float) y);
            maxY = Math.max(maxY, (float) y);
        }
    }

    @Override
    public void appendRectangle(Point2D p0, Point2D p1, Point2D p2, Point2D p3) {
        for (Point2D p : new Point2D[] {p0, p1, p2, p3}) {
            extend(p.getX(), p.getY());
        }
    }

    @Override
    public void drawImage(PDImage image) {
        Matrix ctm = getGraphicsState().getCurrentTransformationMatrix();
        float[][] corners = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
        float x0 = Float.MAX_VALUE;
        float y0 = Float.MAX_VALUE;
        float x1 = -Float.MAX_VALUE;
        float y1 = -Float.MAX_VALUE;
        for (float[] c : corners) {
            Point2D.Float p = ctm.transformPoint(c[0], c[1]);
            x0 = Math.min(x0, p.x);
            y0 = Math.min(y0, p.y);
            x1 = Math.max(x1, p.x);
            y1 = Math.max(y1, p.y);
        }
        paint(x0, y0, x1, y1);
    }

    @Override
    public void clip(int windingRule) {
        // clipping only removes paint; what is painted is still bounded by the path
    }

    @Override
    public void moveTo(float x, float y) {
        extend(x, y);
    }

    @Override
    public void lineTo(float x, float y) {
        extend(x, y);
    }

    @Override
    public void curveTo(float x1, float y1, float x2, float y2, float x3, float y3) {
        extend(x1, y1);
        extend(x2, y2);
        extend(x3, y3);
    }

    @Override
    public Point2D getCurrentPoint() {
        return new Point2D.Float(maxX, maxY);
    }

    @Override
    public void closePath() {
        // the bounding box already holds the path's points
    }

    @Override
    public void endPath() {
        pathEmpty = true;
    }

    @Override
    public void strokePath() {
        pathEmpty = true;
    }

    @Override
    public void fillPath(int windingRule) {
        if (!pathEmpty) {
            paint(minX, minY, maxX, maxY);
        }
        pathEmpty = true;
    }

    @Override
    public void fillAndStrokePath(int windingRule) {
        fillPath(windingRule);
    }

    @Override
    public void shadingFill(COSName shadingName) {
        PDRectangle box = getPage().getMediaBox();
        paint(box.getLowerLeftX(), box.getLowerLeftY(), box.getUpperRightX(), box.getUpperRightY());
    }
}
