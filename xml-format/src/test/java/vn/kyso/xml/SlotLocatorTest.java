package vn.kyso.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SlotLocatorTest {

    @Test
    void findsTheEndTagOfTheNthElementPastMarkupLookalikes() throws Exception {
        String xml = "<?xml version=\"1.0\"?><!-- <x> --><r a=\"<b>\" c='/>'><![CDATA[<d></d>]]><?pi <e/>?>"
                + "<s q=\"/\"><s>inner</s><t/></s><u/></r>";
        SlotLocator.Insertion at = locate(xml, 2);
        assertEquals(xml.indexOf("</s><u/>"), at.offset());
        assertEquals(false, at.empty());
        assertEquals(xml.indexOf("</s><t/>"), locate(xml, 3).offset());
        assertEquals(new SlotLocator.Insertion(xml.indexOf("/></s><u/>"), true), locate(xml, 4));
        assertEquals(new SlotLocator.Insertion(xml.indexOf("/></r>"), true), locate(xml, 5));
    }

    @Test
    void anEmptyElementTagGivesTheOffsetOfItsSlash() throws Exception {
        String xml = "<a><b x=\"1\"/><c/><d /></a>";
        assertEquals(new SlotLocator.Insertion(xml.indexOf("/><c"), true), locate(xml, 2));
        assertEquals(new SlotLocator.Insertion(xml.indexOf("/></a>"), true), locate(xml, 4));
        assertEquals(new SlotLocator.Insertion(xml.indexOf("</a>"), false), locate(xml, 1));
    }

    @Test
    void offsetsCountBytesNotCharacters() throws Exception {
        String xml = "\uFEFF<HĐơn><Tên>Hóa đơn</Tên><NBan></NBan></HĐơn>";
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        long expected = new String(bytes, StandardCharsets.UTF_8).substring(0, xml.indexOf("</NBan>"))
                .getBytes(StandardCharsets.UTF_8).length;
        assertEquals(expected, SlotLocator.locate(new ByteArrayInputStream(bytes), 3).offset());
    }

    @Test
    void aMissingElementMeansTheDocumentChanged() {
        assertThrows(IllegalStateException.class, () -> locate("<a><b/></a>", 3));
    }

    /** Inserting at the located place makes the marker the last child of exactly the n-th element. */
    @Property(tries = 300)
    void insertingAtTheLocatedPlaceAppendsToTheNthElement(@ForAll("documents") C14nStreamTest.Generated g,
            @ForAll @IntRange(min = 1, max = 1000) int pick) throws Exception {
        byte[] bytes = g.xml().getBytes(StandardCharsets.UTF_8);
        org.w3c.dom.Document before = SigningFixtures.dom(bytes);
        List<Element> elements = new ArrayList<>();
        all(before.getDocumentElement(), elements);
        int n = 1 + (pick - 1) % elements.size();
        SlotLocator.Insertion at = SlotLocator.locate(new ByteArrayInputStream(bytes), n);
        String qname = elements.get(n - 1).getTagName();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, 0, (int) at.offset());
        out.writeBytes((at.empty() ? "><kyso-marker/></" + qname + ">" : "<kyso-marker/>").getBytes(StandardCharsets.UTF_8));
        int resume = (int) at.offset() + (at.empty() ? 2 : 0);
        out.write(bytes, resume, bytes.length - resume);
        org.w3c.dom.Document after = SigningFixtures.dom(out.toByteArray());
        List<Element> now = new ArrayList<>();
        all(after.getDocumentElement(), now);
        Element marker = now.stream().filter(e -> e.getTagName().equals("kyso-marker")).findFirst().orElseThrow();
        assertEquals(now.indexOf(marker.getParentNode()), n - 1);
        assertEquals(null, marker.getNextSibling());
    }

    @Provide
    Arbitrary<C14nStreamTest.Generated> documents() {
        return Arbitraries.randomValue(C14nStreamTest.DocumentGenerator::generate);
    }

    private static void all(Element e, List<Element> out) {
        out.add(e);
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element ce) {
                all(ce, out);
            }
        }
    }

    private static SlotLocator.Insertion locate(String xml, int ordinal) throws Exception {
        return SlotLocator.locate(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), ordinal);
    }
}
