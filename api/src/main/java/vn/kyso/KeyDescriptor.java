package vn.kyso;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A key a {@link KeySource} can open, described by its certificate, so a user can pick
 * "Nguyễn Văn An, VNPT-CA, valid until 2027-03-01" without logging in.
 *
 * @param id stable id to pass to {@link KeySource#open(String)} (not a slot number: slots move)
 * @param label a human label (token label and key label, or file alias)
 * @param chain signing certificate first; never empty
 * @param deviceKind where the key lives
 */
public record KeyDescriptor(String id, String label, List<X509Certificate> chain, DeviceKind deviceKind) {
    public KeyDescriptor {
        Objects.requireNonNull(id, "id must not be null");
        Objects.requireNonNull(label, "label must not be null");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a key descriptor needs its certificate");
        }
        Objects.requireNonNull(deviceKind, "deviceKind must not be null");
    }

    /** The signing certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }
}
