package vn.kyso.xml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class Utf8SinkTest {

    private static byte[] written(Consumer<Utf8Sink> writes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Utf8Sink sink = new Utf8Sink(out::write);
        writes.accept(sink);
        sink.flush();
        return out.toByteArray();
    }

    @Test
    void aLoneSurrogateIsRefusedWhereverItAppearsInsteadOfBeingWrittenAsInvalidUtf8() {
        // before, U+D800 became the bytes ED A0 80: a digest over them matches no reader's decoding,
        // and a document holding them is rejected by every strict UTF-8 parser
        for (String lone : new String[] {"a\uD800b", "\uD800", "ab\uDC00", "\uDFFF\uD83D", "x\uD83D"}) {
            assertThrows(Utf8Sink.UnpairedSurrogateException.class, () -> written(s -> s.text(lone)), lone);
            assertThrows(Utf8Sink.UnpairedSurrogateException.class, () -> written(s -> s.attribute(lone)), lone);
            assertThrows(Utf8Sink.UnpairedSurrogateException.class, () -> written(s -> s.raw(lone)), lone);
            assertThrows(Utf8Sink.UnpairedSurrogateException.class, () -> written(s -> s.verbatim(lone)), lone);
        }
    }

    @Test
    void aSurrogatePairIsOneFourByteSequenceAndOtherTextIsEncodedAsBefore() {
        String text = "Hóa đơn \uD83D\uDE00 <&> \r";
        assertArrayEquals("Hóa đơn \uD83D\uDE00 &lt;&amp;&gt; &#xD;".getBytes(StandardCharsets.UTF_8),
                written(s -> s.text(text)));
        assertArrayEquals("\uD83D\uDE00&quot;\t".replace("\t", "&#x9;").getBytes(StandardCharsets.UTF_8),
                written(s -> s.attribute("\uD83D\uDE00\"\t")));
        assertArrayEquals(new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80},
                written(s -> s.raw("\uD83D\uDE00")));
    }
}
