package vn.kyso.registry;

import vn.kyso.CertificateStatus;
import vn.kyso.DeviceKind;
import vn.kyso.StaffGroup;

/**
 * Which certificates to list: every non-null field must match; {@code RegistryQuery.all()} lists all.
 *
 * @param agency the holder's agency
 * @param unit the holder's unit
 * @param staffGroup the holder's group
 * @param issuingCa the issuing CA's name as the register keeps it ("VNPT-CA")
 * @param deviceKind the device
 * @param status the lifecycle status
 */
public record RegistryQuery(String agency, String unit, StaffGroup staffGroup, String issuingCa,
        DeviceKind deviceKind, CertificateStatus status) {

    public static RegistryQuery all() {
        return new RegistryQuery(null, null, null, null, null, null);
    }

    public RegistryQuery agency(String value) {
        return new RegistryQuery(value, unit, staffGroup, issuingCa, deviceKind, status);
    }

    public RegistryQuery unit(String value) {
        return new RegistryQuery(agency, value, staffGroup, issuingCa, deviceKind, status);
    }

    public RegistryQuery staffGroup(StaffGroup value) {
        return new RegistryQuery(agency, unit, value, issuingCa, deviceKind, status);
    }

    public RegistryQuery issuingCa(String value) {
        return new RegistryQuery(agency, unit, staffGroup, value, deviceKind, status);
    }

    public RegistryQuery deviceKind(DeviceKind value) {
        return new RegistryQuery(agency, unit, staffGroup, issuingCa, value, status);
    }

    public RegistryQuery status(CertificateStatus value) {
        return new RegistryQuery(agency, unit, staffGroup, issuingCa, deviceKind, value);
    }
}
