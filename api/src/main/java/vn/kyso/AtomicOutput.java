package vn.kyso;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** Writes outputs through temporary files beside their targets, moved into place only when all are complete. */
final class AtomicOutput {

    interface Writer {
        void write(OutputStream out) throws KysoException, IOException;
    }

    interface IndexedWriter {
        void write(int index, OutputStream out) throws KysoException, IOException;
    }

    private AtomicOutput() {
    }

    static void write(Path target, Writer writer) throws KysoException, IOException {
        writeAll(List.of(target), (i, out) -> writer.write(out));
    }

    static void writeAll(List<Path> targets, IndexedWriter writer) throws KysoException, IOException {
        List<Path> temps = new ArrayList<>();
        boolean done = false;
        try {
            for (int i = 0; i < targets.size(); i++) {
                Path target = targets.get(i).toAbsolutePath();
                Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
                temps.add(temp);
                try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
                    writer.write(i, out);
                }
            }
            for (int i = 0; i < targets.size(); i++) {
                move(temps.get(i), targets.get(i).toAbsolutePath());
            }
            done = true;
        } finally {
            if (!done) {
                for (Path t : temps) {
                    Files.deleteIfExists(t);
                }
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
