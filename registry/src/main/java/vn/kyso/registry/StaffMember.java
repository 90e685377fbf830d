package vn.kyso.registry;

import java.util.Objects;
import vn.kyso.StaffGroup;

/**
 * One person on an agency's staff roster: the usage report counts heads, not certificates, so
 * staff who hold none ("chưa đăng ký") are counted too.
 *
 * @param agency the agency ("Sở Công Thương tỉnh Đồng Nai")
 * @param personalId the citizen id (CCCD, or the older CMND), the key joining staff to certificates
 * @param name the full name, with diacritics
 * @param unit the unit inside the agency ("Văn phòng Sở")
 * @param staffGroup civil servant or public employee (or leader when nothing else is known)
 * @param leader whether the person is a leader or manager; the usage table's leader row overlaps
 *     the other two, which is why the Department of Industry and Trade's rows add up to more than
 *     its 239 staff
 * @param email contact for reminders, "" when unknown
 * @param phone contact for reminders, "" when unknown
 */
public record StaffMember(String agency, String personalId, String name, String unit, StaffGroup staffGroup,
        boolean leader, String email, String phone) {

    public StaffMember {
        Objects.requireNonNull(agency, "agency must not be null");
        Objects.requireNonNull(personalId, "personalId must not be null");
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(unit, "unit must not be null");
        Objects.requireNonNull(staffGroup, "staffGroup must not be null");
        Objects.requireNonNull(email, "email must not be null");
        Objects.requireNonNull(phone, "phone must not be null");
        if (personalId.isBlank()) {
            throw new IllegalArgumentException("a staff member needs a personal id (CCCD)");
        }
    }
}
