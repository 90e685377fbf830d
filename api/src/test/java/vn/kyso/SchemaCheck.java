package vn.kyso;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Validates JSON against the repository's docs/kyso-verify-1.schema.json. */
final class SchemaCheck {
    private static final Schema SCHEMA = load();

    private SchemaCheck() {
    }

    private static Schema load() {
        try {
            String text = Files.readString(Path.of("..", "docs", "kyso-verify-1.schema.json"));
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertValid(String json) {
        List<com.networknt.schema.Error> errors = SCHEMA.validate(json, InputFormat.JSON);
        assertEquals(List.of(), errors.stream().map(Object::toString).toList(), json);
    }

    static boolean valid(String json) {
        return SCHEMA.validate(json, InputFormat.JSON).isEmpty();
    }
}
