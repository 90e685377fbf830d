package vn.kyso;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DocumentTest {

    @Test
    void anUploadIsReadOnceIntoMemoryAndItsStreamIsLeftOpenForTheCaller() throws Exception {
        byte[] pdf = "%PDF-1.7\nupload".getBytes(StandardCharsets.US_ASCII);
        boolean[] closed = {false};
        InputStream upload = new ByteArrayInputStream(pdf) {
            @Override
            public void close() throws IOException {
                closed[0] = true;
                super.close();
            }
        };
        Document d = Document.of(upload, "upload.pdf");
        assertFalse(closed[0]);
        assertEquals("upload.pdf", d.name());
        assertTrue(d.file().isEmpty());
        assertEquals(pdf.length, d.size());
        assertArrayEquals(pdf, d.readAllBytes());
        assertArrayEquals("%PDF".getBytes(StandardCharsets.US_ASCII), d.head(4));
    }

    @Test
    void anUploadLargerThanTheCapIsRefusedInsteadOfFillingTheHeap() throws Exception {
        byte[] bytes = new byte[101];
        assertEquals(100, Document.of(new ByteArrayInputStream(bytes, 0, 100), "a", 100).size(), "exactly the cap is fine");
        IOException e = assertThrows(IOException.class, () -> Document.of(new ByteArrayInputStream(bytes), "big.pdf", 100));
        assertTrue(e.getMessage().contains("big.pdf"), e.getMessage());
    }
}
