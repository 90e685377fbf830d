package vn.kyso.remotesim;

/**
 * The remote-sim cases over ETSI TS 102 204 (SOAP): no batches (one confirmation per digest)
 * and no cancellation in the protocol (a cancelled request stops polling).
 */
class MssSignerTest extends RemoteSignerTest {
    @Override
    String dialect() {
        return "mss";
    }

    @Override
    int promptsForBatch(int n) {
        return n;
    }

    @Override
    boolean serviceCancels() {
        return false;
    }

    @Override
    boolean mayReturnContainers() {
        return false;
    }

    @Override
    int displayLimit() {
        return MssService.DISPLAY_LIMIT;
    }
}
