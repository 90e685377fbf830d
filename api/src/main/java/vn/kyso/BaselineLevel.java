package vn.kyso;

/** The ETSI baseline levels (PAdES, XAdES): how much evidence travels with a signature. */
public enum BaselineLevel {
    /** The signature and its signing certificate. */
    B,
    /** B plus a trusted timestamp on the signature value (needs a TSA). */
    T,
    /** T plus the certificates and revocation data needed to validate it later. */
    LT,
    /** LT plus an archive (document) timestamp over all of it. */
    LTA;

    /** Whether this level needs a timestamp authority. */
    public boolean needsTimestamp() {
        return this != B;
    }
}
