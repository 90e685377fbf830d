package vn.kyso.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void strictJsonIsReadIntoMapsListsStringsAndNumbers() throws Exception {
        Object v = Json.parse(" {\"v\":1,\"id\":\"a\\u00e9\\n\",\"x\":[true,false,null,-0.5e2],\"o\":{}} ");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("v", new BigDecimal("1"));
        expected.put("id", "aé\n");
        expected.put("x", Arrays.asList(true, false, null, new BigDecimal("-0.5e2")));
        expected.put("o", Map.of());
        assertEquals(expected, v);
        assertEquals("𝄞", Json.parse("\"\\ud834\\udd1e\""), "a surrogate pair is one character");
    }

    @Test
    void whatLenientParsersAcceptIsRefused() {
        // each is accepted by some lenient parser, and would let a page smuggle a second meaning past a check
        for (String bad : List.of("{\"id\":\"a\",\"id\":\"b\"}", "{\"a\":1,}", "[1,]", "{'a':1}", "{a:1}",
                "// c\n{}", "{} {}", "{}x", "01", "1.", ".5", "+1", "NaN", "Infinity", "\"\\x41\"", "\"a\tb\"",
                "\"\\ud834\"", "\"\\udd1e\"", "tru", "nul", "", "   ", "\"open", "[" .repeat(17) + "]".repeat(17),
                "1".repeat(41), "\u00a0{}", "{\"a\" 1}", "1e99999999999999999999")) {
            assertThrows(Json.SyntaxException.class, () -> Json.parse(bad), bad);
        }
    }

    @Test
    void writtenJsonReadsBackAndCannotCloseAScriptElement() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "</script><b>\"\\\u0001\u2028");
        m.put("n", 7);
        m.put("l", List.of(true, "x"));
        String text = Json.write(m);
        assertEquals(-1, text.indexOf('<'));
        Map<String, Object> back = new LinkedHashMap<>(m);
        back.put("n", new BigDecimal(7));
        assertEquals(back, Json.parse(text));
    }
}
