package vn.kyso.remotesim;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import vn.kyso.DeviceKind;
import vn.kyso.KeyDescriptor;
import vn.kyso.KeyNotFoundException;
import vn.kyso.KeySource;
import vn.kyso.Signer;

/** The credentials one user holds at one remote signing service, read at connect time. */
final class RemoteKeySource implements KeySource {
    private final RemoteSettings settings;
    private final Transport transport;
    private final RemoteService service;
    private final List<RemoteService.Credential> credentials;
    private final PendingSet pending = new PendingSet();
    private final Set<RemoteSigner> signers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    RemoteKeySource(RemoteSettings settings, Transport transport, RemoteService service,
            List<RemoteService.Credential> credentials) {
        this.settings = settings;
        this.transport = transport;
        this.service = service;
        this.credentials = List.copyOf(credentials);
    }

    @Override
    public String providerId() {
        return RemoteSimProvider.ID;
    }

    @Override
    public List<KeyDescriptor> keys() {
        checkOpen();
        List<KeyDescriptor> out = new ArrayList<>();
        for (RemoteService.Credential c : credentials) {
            out.add(new KeyDescriptor(c.id(), c.label(), c.chain(), DeviceKind.PKI_SIM));
        }
        return out;
    }

    @Override
    public Signer open(String keyId) throws KeyNotFoundException {
        checkOpen();
        for (RemoteService.Credential c : credentials) {
            if (c.id().equalsIgnoreCase(keyId)) {
                RemoteSigner signer = new RemoteSigner(service, c, settings, pending, signers::remove);
                signers.add(signer);
                return signer;
            }
        }
        throw new KeyNotFoundException(RemoteSimProvider.ID, "user " + settings.userId() + " has no credential '" + keyId
                + "' at " + settings.url() + ": pick one of the ids keys() lists");
    }

    /** The sp769 client behind this source, or null for another dialect. */
    Sp769Service sp769() {
        return service instanceof Sp769Service sp ? sp : null;
    }

    boolean isClosed() {
        return closed.get();
    }

    /** How many signatures wait for an answer now. */
    int pendingCount() {
        return pending.size();
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this remote-sim key source is closed");
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            for (RemoteSigner s : List.copyOf(signers)) {
                s.close();
            }
            pending.closeAll();
            transport.close();
        }
    }
}
