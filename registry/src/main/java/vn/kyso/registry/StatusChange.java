package vn.kyso.registry;

import java.time.Instant;
import vn.kyso.CertificateStatus;

/**
 * One change of a certificate's status, as kept in its history.
 *
 * @param certificateId the certificate's id in the register
 * @param at when the change was recorded
 * @param from the status before, or null when the record was created
 * @param to the status after
 * @param actor who made the change ("kyso" for changes made by signing, or a person)
 * @param reason why, in the actor's words; "" when none was given
 */
public record StatusChange(String certificateId, Instant at, CertificateStatus from, CertificateStatus to,
        String actor, String reason) {
}
