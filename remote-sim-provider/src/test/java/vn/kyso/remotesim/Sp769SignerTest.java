package vn.kyso.remotesim;

/** The remote-sim cases over the SP769 / NEAC dialect. */
class Sp769SignerTest extends RemoteSignerTest {
    @Override
    String dialect() {
        return "sp769";
    }
}
