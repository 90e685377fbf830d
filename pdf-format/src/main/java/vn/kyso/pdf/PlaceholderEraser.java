package vn.kyso.pdf;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSFloat;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNumber;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdfparser.PDFStreamParser;
import org.apache.pdfbox.pdfwriter.ContentStreamWriter;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType3Font;

/**
 * Takes a placeholder's glyphs ("{so_vb}") out of a page's content stream, leaving the same
 * horizontal space, so a form field can sit where it was drawn without covering any content.
 * The text after the placeholder stays where it was: the glyphs become a TJ displacement of
 * their own advance (font widths, character and word spacing, kerning in between). Works when
 * the placeholder is drawn by one text-showing operator of the page's own content, which is how
 * word processors write a word; anything else is refused, so nothing is half-edited.
 */
final class PlaceholderEraser {
    private static final int MAX_TOKENS = 2_000_000;

    private record TextState(PDFont font, float size, float charSpacing, float wordSpacing) {
    }

    private record Glyph(int element, int start, int end, String unicode, float advance) {
    }

    private PlaceholderEraser() {
    }

    /**
     * Removes the single occurrence of {@code placeholder} from the content of {@code page}.
     *
     * @throws IllegalArgumentException when it is not drawn exactly once by one operator there
     */
    static void erase(PDDocument doc, PDPage page, int pageNumber, String placeholder) throws IOException {
        PDFStreamParser parser = new PDFStreamParser(page);
        List<Object> tokens;
        try {
            tokens = parser.parse();
        } finally {
            parser.close();
        }
        if (tokens.size() > MAX_TOKENS) {
            throw new IllegalArgumentException("page " + pageNumber + " has too many content operators to edit safely");
        }
        PDResources resources = page.getResources();
        Deque<TextState> stack = new ArrayDeque<>();
        TextState state = new TextState(null, 0, 0, 0);
        int matchOperator = -1;
        COSArray replacement = null;
        int matches = 0;
        for (int i = 0; i < tokens.size(); i++) {
            if (!(tokens.get(i) instanceof Operator op)) {
                continue;
            }
            List<COSBase> operands = operands(tokens, i);
            switch (op.getName()) {
                case "q" -> stack.push(state);
                case "Q" -> state = stack.isEmpty() ? state : stack.pop();
                case "Tf" -> {
                    if (operands.size() == 2 && operands.get(0) instanceof COSName name
                            && operands.get(1) instanceof COSNumber size) {
                        PDFont font = resources == null ? null : resources.getFont(name);
                        state = new TextState(font, size.floatValue(), state.charSpacing(), state.wordSpacing());
                    }
                }
                case "Tc" -> state = new TextState(state.font(), state.size(), number(operands, 0), state.wordSpacing());
                case "Tw" -> state = new TextState(state.font(), state.size(), state.charSpacing(), number(operands, 0));
                case "\"" -> state = new TextState(state.font(), state.size(), number(operands, 1), number(operands, 0));
                default -> {
                    // other operators do not change what a glyph advances by
                }
            }
            String name = op.getName();
            if (!name.equals("Tj") && !name.equals("TJ") && !name.equals("'") && !name.equals("\"")) {
                continue;
            }
            COSArray shown = new COSArray();
            if (name.equals("TJ") && !operands.isEmpty() && operands.get(0) instanceof COSArray array) {
                shown = array;
            } else if (!operands.isEmpty() && operands.get(operands.size() - 1) instanceof COSString s) {
                shown.add(s);
            }
            COSArray erased = eraseIn(shown, state, placeholder, pageNumber);
            if (erased != null) {
                matches++;
                matchOperator = i;
                replacement = erased;
            }
        }
        if (matches != 1) {
            throw new IllegalArgumentException("the placeholder \"" + placeholder + "\" is drawn " + (matches == 0
                    ? "in pieces or inside a form XObject" : matches + " times") + " on page " + pageNumber
                    + ", so it cannot be replaced by a field safely: give each placeholder its own text written as one word, "
                    + "or place the field by page and rectangle");
        }
        List<Object> out = new ArrayList<>(tokens.subList(0, firstOperand(tokens, matchOperator)));
        String name = ((Operator) tokens.get(matchOperator)).getName();
        if (name.equals("'")) {
            out.add(Operator.getOperator("T*"));
        } else if (name.equals("\"")) {
            List<COSBase> operands = operands(tokens, matchOperator);
            out.add(operands.get(0));
            out.add(Operator.getOperator("Tw"));
            out.add(operands.get(1));
            out.add(Operator.getOperator("Tc"));
            out.add(Operator.getOperator("T*"));
        }
        out.add(replacement);
        out.add(Operator.getOperator("TJ"));
        out.addAll(tokens.subList(matchOperator + 1, tokens.size()));
        PDStream stream = new PDStream(doc);
        try (OutputStream os = stream.createOutputStream(COSName.FLATE_DECODE)) {
            new ContentStreamWriter(os).writeTokens(out);
        }
        page.setContents(stream);
    }

    /** {@code shown} (TJ elements) with the placeholder replaced by its displacement, or null when it is not there. */
    private static COSArray eraseIn(COSArray shown, TextState state, String placeholder, int pageNumber) throws IOException {
        PDFont font = state.font();
        if (font == null || state.size() == 0 || shown.size() == 0) {
            return null;
        }
        List<Glyph> glyphs = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        List<Integer> glyphAt = new ArrayList<>();
        for (int e = 0; e < shown.size(); e++) {
            if (!(shown.getObject(e) instanceof COSString s)) {
                continue;
            }
            byte[] bytes = s.getBytes();
            ByteArrayInputStream in = new ByteArrayInputStream(bytes);
            while (in.available() > 0) {
                int start = bytes.length - in.available();
                int code = font.readCode(in);
                int end = bytes.length - in.available();
                String unicode = font.toUnicode(code);
                if (unicode == null) {
                    unicode = "\uFFFD";
                }
                float advance = font.getWidth(code) + state.charSpacing() * 1000 / state.size()
                        + (end - start == 1 && code == 32 ? state.wordSpacing() * 1000 / state.size() : 0);
                for (int k = 0; k < unicode.length(); k++) {
                    glyphAt.add(glyphs.size());
                }
                glyphs.add(new Glyph(e, start, end, unicode, advance));
                text.append(unicode);
            }
        }
        int at = text.indexOf(placeholder);
        if (at < 0) {
            return null;
        }
        if (text.indexOf(placeholder, at + 1) >= 0) {
            throw new IllegalArgumentException("the placeholder \"" + placeholder + "\" is drawn twice in one line on page "
                    + pageNumber + ": give each placeholder its own text");
        }
        if (font instanceof PDType3Font || font.isVertical()) {
            throw new IllegalArgumentException("the placeholder \"" + placeholder + "\" on page " + pageNumber
                    + " is drawn in a Type 3 or vertical font, which kyso cannot edit: place the field by page and rectangle");
        }
        int first = glyphAt.get(at);
        int last = glyphAt.get(at + placeholder.length() - 1);
        if (at > 0 && glyphAt.get(at - 1) == first || at + placeholder.length() < glyphAt.size()
                && glyphAt.get(at + placeholder.length()) == last) {
            return null;
        }
        Glyph g0 = glyphs.get(first);
        Glyph g1 = glyphs.get(last);
        float shift = 0;
        for (int g = first; g <= last; g++) {
            shift += glyphs.get(g).advance();
        }
        for (int e = g0.element() + 1; e < g1.element(); e++) {
            if (shown.getObject(e) instanceof COSNumber kerning) {
                shift -= kerning.floatValue();
            }
        }
        COSArray out = new COSArray();
        for (int e = 0; e < shown.size(); e++) {
            COSBase element = shown.getObject(e);
            if (e < g0.element() || e > g1.element()) {
                out.add(element);
                continue;
            }
            if (e != g0.element() && e != g1.element()) {
                continue;
            }
            byte[] bytes = ((COSString) element).getBytes();
            if (e == g0.element() && g0.start() > 0) {
                out.add(new COSString(java.util.Arrays.copyOfRange(bytes, 0, g0.start())));
            }
            if (e == g1.element()) {
                out.add(new COSFloat(-shift));
                if (g1.end() < bytes.length) {
                    out.add(new COSString(java.util.Arrays.copyOfRange(bytes, g1.end(), bytes.length)));
                }
            }
        }
        return out;
    }

    private static float number(List<COSBase> operands, int index) {
        return operands.size() > index && operands.get(index) instanceof COSNumber n ? n.floatValue() : 0;
    }

    private static int firstOperand(List<Object> tokens, int operator) {
        int i = operator;
        while (i > 0 && !(tokens.get(i - 1) instanceof Operator)) {
            i--;
        }
        return i;
    }

    private static List<COSBase> operands(List<Object> tokens, int operator) {
        List<COSBase> out = new ArrayList<>();
        for (int i = firstOperand(tokens, operator); i < operator; i++) {
            if (tokens.get(i) instanceof COSBase b) {
                out.add(b);
            }
        }
        return out;
    }
}
