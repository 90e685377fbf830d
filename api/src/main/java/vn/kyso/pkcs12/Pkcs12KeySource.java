package vn.kyso.pkcs12;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import vn.kyso.DeviceKind;
import vn.kyso.KeyDescriptor;
import vn.kyso.KeyNotFoundException;
import vn.kyso.KeySource;
import vn.kyso.Signer;

/** The keys read from one PKCS#12 file. */
final class Pkcs12KeySource implements KeySource {

    record Entry(String alias, PrivateKey key, List<X509Certificate> chain) {
    }

    private final List<Entry> entries;
    private final Set<SoftwareSigner> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    Pkcs12KeySource(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    @Override
    public String providerId() {
        return Pkcs12SignerProvider.ID;
    }

    @Override
    public List<KeyDescriptor> keys() {
        checkOpen();
        return entries.stream()
                .map(e -> new KeyDescriptor(e.alias(), e.alias(), e.chain(), DeviceKind.FILE))
                .toList();
    }

    @Override
    public Signer open(String keyId) throws KeyNotFoundException {
        checkOpen();
        for (Entry e : entries) {
            if (e.alias().equals(keyId)) {
                SoftwareSigner signer = new SoftwareSigner(e.key(), e.chain(), open::remove);
                open.add(signer);
                return signer;
            }
        }
        throw new KeyNotFoundException(providerId(), "no key '" + keyId + "' in this PKCS#12 file; keys: "
                + entries.stream().map(Entry::alias).toList());
    }

    @Override
    public void close() {
        closed = true;
        for (SoftwareSigner s : List.copyOf(open)) {
            s.close();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this pkcs12 key source is closed: connect again");
        }
    }
}
