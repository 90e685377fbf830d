package vn.kyso.xml;

/**
 * Bounds on hostile XML that signing and verification share, so kyso never signs a document its own
 * verifier would refuse.
 */
final class XmlLimits {
    /**
     * The deepest element nesting accepted, the signature's own elements included. Real invoices and
     * declarations nest fewer than 20 levels; the bound keeps parsers' work and stacks small.
     */
    static final int MAX_DEPTH = 256;

    private XmlLimits() {
    }
}
