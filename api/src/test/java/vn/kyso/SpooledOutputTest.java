package vn.kyso;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SpooledOutputTest {

    private static Set<Path> spooled() throws Exception {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("kyso-signed-")).collect(Collectors.toSet());
        }
    }

    private static byte[] through(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SpooledOutput held = new SpooledOutput(data.length)) {
            held.write(data[0]);
            for (int i = 1; i < data.length; i += 70_000) {
                held.write(data, i, Math.min(70_000, data.length - i));
            }
            assertEquals(0, out.size(), "nothing reaches the stream before copyTo");
            held.copyTo(out);
        }
        return out.toByteArray();
    }

    @Test
    void smallAndLargeOutputsComeBackByteForByteAndNoTemporaryFileStays() throws Exception {
        Set<Path> before = spooled();
        Random random = new Random(7);
        for (int size : new int[] {1, 5_000, SpooledOutput.IN_MEMORY, SpooledOutput.IN_MEMORY + 1, 3 * SpooledOutput.IN_MEMORY}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            assertArrayEquals(data, through(data), size + " bytes");
        }
        Set<Path> left = spooled();
        left.removeAll(before);
        assertEquals(Set.of(), left);
    }
}
