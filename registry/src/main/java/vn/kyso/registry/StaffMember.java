package vn.kyso.registry;

import java.time.LocalDate;
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
 * @param joined the first day on the staff, or null when not known (on the staff since ever)
 * @param left the first day no longer on the staff, or null while still on it; a report for a
 *     past month counts the staff as they were at its end, so people leaving later change nothing
 */
public record StaffMember(String agency, String personalId, String name, String unit, StaffGroup staffGroup,
        boolean leader, String email, String phone, LocalDate joined, LocalDate left) {

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
        if (joined != null && left != null && !left.isAfter(joined)) {
            throw new IllegalArgumentException("a staff member leaves after joining: joined " + joined + ", left " + left);
        }
    }

    /** A member with no known joining date, still on the staff. */
    public StaffMember(String agency, String personalId, String name, String unit, StaffGroup staffGroup,
            boolean leader, String email, String phone) {
        this(agency, personalId, name, unit, staffGroup, leader, email, phone, null, null);
    }

    /** Whether the member is on the staff on {@code day}. */
    public boolean onStaff(LocalDate day) {
        return (joined == null || !joined.isAfter(day)) && (left == null || left.isAfter(day));
    }
}
