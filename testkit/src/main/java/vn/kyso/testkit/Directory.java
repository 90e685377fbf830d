package vn.kyso.testkit;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the live services need to know about a {@link TestPki}: its identities by alias,
 * which of them are CAs, who signs OCSP responses for each CA, and which one is the TSA.
 * Immutable.
 */
record Directory(Map<String, TestIdentity> byAlias, List<String> caAliases,
                 Map<String, String> responderByCa, String tsaAlias) {

    Directory {
        byAlias = Map.copyOf(byAlias);
        caAliases = List.copyOf(caAliases);
        responderByCa = Map.copyOf(responderByCa);
    }

    /** The CA with this alias, if it is one. */
    Optional<TestIdentity> ca(String alias) {
        return caAliases.contains(alias) ? Optional.of(byAlias.get(alias)) : Optional.empty();
    }

    /** All CAs, roots and intermediates, in a fixed order. */
    List<TestIdentity> cas() {
        return caAliases.stream().map(byAlias::get).toList();
    }

    /** Who signs OCSP responses about certificates issued by {@code ca}: a delegated responder or the CA. */
    TestIdentity responderFor(TestIdentity ca) {
        return byAlias.get(responderByCa.getOrDefault(ca.alias(), ca.alias()));
    }

    /** The certificate with this serial that {@code ca} issued, other than the CA's own. */
    Optional<TestIdentity> issuedBy(TestIdentity ca, BigInteger serial) {
        return byAlias.values().stream()
                .filter(i -> i != ca && i.issuerAlias().equals(ca.alias()))
                .filter(i -> i.certificate().getSerialNumber().equals(serial))
                .findFirst();
    }

    /** Every certificate {@code ca} issued, other than the CA's own. */
    List<TestIdentity> issuedBy(TestIdentity ca) {
        return byAlias.values().stream()
                .filter(i -> i != ca && i.issuerAlias().equals(ca.alias()))
                .toList();
    }

    TestIdentity tsa() {
        return byAlias.get(tsaAlias);
    }
}
