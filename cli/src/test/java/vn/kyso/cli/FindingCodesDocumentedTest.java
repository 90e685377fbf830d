package vn.kyso.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The finding codes are a stable interface (programs switch on them): every code the verifiers
 * can put in a report is listed in docs/verification-report.md, and the list names no code that
 * no longer exists.
 */
class FindingCodesDocumentedTest {
    private static final Path ROOT = Path.of("..");
    /** A code given directly to Finding.error/warning/info, or as a string choice for one. */
    private static final Pattern IN_CODE = Pattern.compile(
            "Finding\\.(?:error|warning|info)\\(\\s*\"([A-Z][A-Z0-9_]+)\""
            + "|Finding\\.(?:error|warning|info)\\([^;]*?\\?\\s*\"([A-Z][A-Z0-9_]+)\"\\s*:\\s*\"([A-Z][A-Z0-9_]+)\""
            + "|malformed\\(\"([A-Z][A-Z0-9_]+)\"", Pattern.DOTALL);
    private static final Pattern IN_DOCS = Pattern.compile("^\\| `([A-Z][A-Z0-9_]+)` \\|", Pattern.MULTILINE);

    @Test
    void everyFindingCodeInTheVerifiersIsListedInTheDocsAndNoOther() throws Exception {
        Set<String> used = new TreeSet<>();
        for (String module : List.of("api", "validation", "pdf-format", "xml-format")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = IN_CODE.matcher(Files.readString(f));
                    while (m.find()) {
                        for (int g = 1; g <= m.groupCount(); g++) {
                            if (m.group(g) != null) {
                                used.add(m.group(g));
                            }
                        }
                    }
                }
            }
        }
        Set<String> documented = new TreeSet<>();
        Matcher d = IN_DOCS.matcher(Files.readString(ROOT.resolve("docs/verification-report.md")));
        while (d.find()) {
            documented.add(d.group(1));
        }
        assertTrue(used.size() > 50, "the scan found the verifiers' codes: " + used);
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(documented);
        Set<String> stale = new TreeSet<>(documented);
        stale.removeAll(used);
        assertEquals(Set.of(), missing, "codes used but not in docs/verification-report.md");
        assertEquals(Set.of(), stale, "codes in docs/verification-report.md that no verifier uses");
    }
}
