package vn.kyso.remotesim;

import java.util.AbstractList;
import java.util.List;

/**
 * Signature values a dialect's client has already verified against the job's digests and the
 * certificate (a webhook delivery it took), so the signer does not verify them a second time.
 * Immutable.
 */
final class VerifiedValues extends AbstractList<byte[]> {
    private final List<byte[]> values;

    VerifiedValues(List<byte[]> values) {
        this.values = List.copyOf(values);
    }

    @Override
    public byte[] get(int index) {
        return values.get(index);
    }

    @Override
    public int size() {
        return values.size();
    }
}
