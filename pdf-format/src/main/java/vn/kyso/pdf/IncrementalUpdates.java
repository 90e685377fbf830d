package vn.kyso.pdf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.io.RandomAccessRead;

/**
 * Whether the bytes after a signed revision are incremental updates as ISO 32000-1, 7.5.6
 * defines them: each a body of objects, its own cross-reference section (a table and trailer,
 * or a cross-reference stream) that lists every object of the body, and startxref pointing at
 * that section, ending with %%EOF. PDFBox follows the cross-references and ignores anything
 * else, but lenient viewers scan for objects, so bytes that are not such an update are content
 * the comparison of revisions cannot see.
 */
final class IncrementalUpdates {
    /** Larger than any DSS or signature revision real documents append; beyond it the tail is not read. */
    static final long MAX_TAIL = 64L << 20;
    private static final Pattern STARTXREF_AT_END = Pattern.compile("startxref[\\s\\x00]+(\\d{1,12})[\\s\\x00]*$");
    private static final Pattern OBJECT = Pattern.compile("(?<![0-9])(\\d{1,10})[\\s\\x00]+(\\d{1,5})[\\s\\x00]+obj(?![A-Za-z])");
    private static final Pattern SUBSECTION = Pattern.compile("(\\d{1,10})[ ]+(\\d{1,10})[ \\t]*\\r?\\n?");

    private IncrementalUpdates() {
    }

    /** {@link #problem(RandomAccessRead, long, Map)} without the document's cross-references: updates with streams are not checked object by object. */
    static String problem(RandomAccessRead file, long from) throws IOException {
        return problem(file, from, null);
    }

    /**
     * Null when every byte from {@code from} to the end of {@code file} is a well-formed update,
     * else what is wrong. {@code xref} is the document's cross-reference table as PDFBox merged
     * it (newest definition of each object; negative for objects in object streams), which
     * tells whether an object of an update with a cross-reference stream is listed.
     */
    static String problem(RandomAccessRead file, long from, Map<COSObjectKey, Long> xref) throws IOException {
        long length = file.length();
        if (length - from > MAX_TAIL) {
            return "more than " + (MAX_TAIL >> 20) + " MB were appended after it";
        }
        byte[] bytes = new byte[(int) (length - from)];
        file.seek(from);
        int read = 0;
        while (read < bytes.length) {
            int n = file.read(bytes, read, bytes.length - read);
            if (n <= 0) {
                return "the file ends early";
            }
            read += n;
        }
        String tail = new String(bytes, StandardCharsets.ISO_8859_1);
        int pos = 0;
        while (true) {
            pos = skipBlank(tail, pos);
            if (pos >= tail.length()) {
                return null;
            }
            int eof = updateEnd(tail, pos);
            if (eof < 0) {
                return "bytes at offset " + (from + pos) + " are not followed by startxref and %%EOF";
            }
            String problem = update(tail, pos, eof, from, xref);
            if (problem != null) {
                return problem;
            }
            pos = eof + 5;
        }
    }

    private static int skipBlank(String s, int pos) {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (isBlank(c)) {
                pos++;
            } else if (c == '%' && !s.startsWith("%%EOF", pos)) {
                while (pos < s.length() && s.charAt(pos) != '\n' && s.charAt(pos) != '\r') {
                    pos++; // a comment changes nothing
                }
            } else {
                break;
            }
        }
        return pos;
    }

    /** The index of the first %%EOF after {@code pos} that startxref precedes, -1 when none does. */
    private static int updateEnd(String s, int pos) {
        for (int eof = s.indexOf("%%EOF", pos); eof >= 0; eof = s.indexOf("%%EOF", eof + 5)) {
            if (STARTXREF_AT_END.matcher(s.substring(Math.max(pos, eof - 64), eof)).find()) {
                return eof;
            }
        }
        return -1;
    }

    /** Checks one update, from {@code start} to the %%EOF at {@code eof}; offsets in messages are from the file's start. */
    private static String update(String s, int start, int eof, long base, Map<COSObjectKey, Long> merged) {
        Matcher m = STARTXREF_AT_END.matcher(s.substring(Math.max(start, eof - 64), eof));
        m.find();
        long xref = Long.parseLong(m.group(1)) - base;
        int startxref = s.lastIndexOf("startxref", eof);
        if (xref < start || xref >= startxref) {
            return "the update ending at offset " + (base + eof) + " has no cross-reference section of its own";
        }
        int at = (int) xref;
        Set<Long> listed = new HashSet<>();
        int sectionEnd;
        if (s.startsWith("xref", at)) {
            sectionEnd = table(s, at + 4, startxref, base, listed);
            if (sectionEnd < 0) {
                return "the cross-reference table at offset " + (base + at) + " is malformed";
            }
            if (s.substring(sectionEnd, startxref).contains("/XRefStm")) {
                return null; // a hybrid update: its objects are listed in the stream the trailer names
            }
        } else if (OBJECT.matcher(s).region(at, startxref).lookingAt()
                && s.substring(at, Math.min(startxref, at + 4096)).contains("/XRef")) {
            sectionEnd = objectEnd(s, at, startxref);
            if (sectionEnd < 0) {
                return "the cross-reference stream at offset " + (base + at) + " has no endobj";
            }
            listed = null;
        } else {
            return "startxref of the update ending at offset " + (base + eof) + " points at no cross-reference section";
        }
        Matcher objects = OBJECT.matcher(s).region(start, at);
        while (objects.find()) {
            boolean ok = listed != null ? listed(listed, s, objects.start(), base)
                    : merged == null || inMerged(merged, objects, s, base);
            if (!ok) {
                return "object " + objects.group(1) + " " + objects.group(2) + " at offset " + (base + objects.start())
                        + " is not in its update's cross-reference section";
            }
            int end = objectEnd(s, objects.end(), at);
            if (end < 0) {
                return "object " + objects.group(1) + " at offset " + (base + objects.start()) + " has no endobj";
            }
            objects.region(end, at);
        }
        Matcher stray = OBJECT.matcher(s).region(sectionEnd, startxref);
        if (stray.find()) {
            return "object " + stray.group(1) + " " + stray.group(2) + " at offset " + (base + stray.start())
                    + " follows its update's cross-reference section";
        }
        return null;
    }

    /** Just after the endobj of the object whose body starts at {@code from} (stream data skipped), or -1 before {@code limit}. */
    private static int objectEnd(String s, int from, int limit) {
        int end = s.indexOf("endobj", from);
        int data = end < 0 ? -1 : indexWithin(s, "stream", from, end);
        if (data >= 0 && !s.startsWith("end", data - 3)) {
            int endstream = s.indexOf("endstream", data);
            end = endstream < 0 ? -1 : s.indexOf("endobj", endstream);
        }
        return end < 0 || end + 6 > limit ? -1 : end + 6;
    }

    /**
     * Whether PDFBox's merged cross-references list the object at its offset (give or take the
     * blanks before it), in an object stream, or at a later offset (a later update redefined it).
     */
    private static boolean inMerged(Map<COSObjectKey, Long> merged, Matcher header, String s, long base) {
        Long offset;
        try {
            offset = merged.get(new COSObjectKey(Long.parseLong(header.group(1)), Integer.parseInt(header.group(2))));
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (offset == null) {
            return false;
        }
        long at = base + header.start();
        return offset < 0 || offset > at || listed(Set.of(offset), s, header.start(), base);
    }

    /**
     * Whether the object header at {@code header} is listed: at its offset, or (as PDFBox and
     * viewers accept from sloppy writers) at the few blanks before it.
     */
    private static boolean listed(Set<Long> listed, String s, int header, long base) {
        for (int back = 0; back <= 8 && header - back >= 0; back++) {
            if (back > 0 && !isBlank(s.charAt(header - back))) {
                return false;
            }
            if (listed.contains(base + header - back)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0;
    }

    /** The index of {@code word} in {@code s} between {@code from} and {@code to}, -1 when it is not there. */
    private static int indexWithin(String s, String word, int from, int to) {
        for (int i = from; i + word.length() <= to; i++) {
            if (s.charAt(i) == word.charAt(0) && s.startsWith(word, i)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether an 18-character cross-reference entry "oooooooooo ggggg n" starts at {@code pos}. */
    private static boolean entry(String s, int pos) {
        for (int i = 0; i < 18; i++) {
            char c = s.charAt(pos + i);
            boolean ok = i == 10 || i == 16 ? c == ' ' : i == 17 ? c == 'n' || c == 'f' : c >= '0' && c <= '9';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Reads the subsections of a cross-reference table into {@code listed}; the index of "trailer", or -1. */
    private static int table(String s, int pos, int limit, long base, Set<Long> listed) {
        pos = skipBlank(s, pos);
        while (pos < limit && !s.startsWith("trailer", pos)) {
            Matcher header = SUBSECTION.matcher(s).region(pos, limit);
            if (!header.lookingAt()) {
                return -1;
            }
            long count = Long.parseLong(header.group(2));
            pos = skipBlank(s, header.end());
            for (long i = 0; i < count; i++) {
                if (pos + 18 > limit) {
                    return -1;
                }
                if (!entry(s, pos)) {
                    return -1;
                }
                if (s.charAt(pos + 17) == 'n') {
                    listed.add(Long.parseLong(s, pos, pos + 10, 10));
                }
                pos = skipBlank(s, pos + 18);
            }
        }
        return pos < limit && s.indexOf("<<", pos) >= 0 && s.indexOf("<<", pos) < limit ? pos : -1;
    }
}
