package vn.kyso;

/** The staff groups of the agencies' monthly usage table. */
public enum StaffGroup {
    LEADER_MANAGER("Lãnh đạo, quản lý"),
    CIVIL_SERVANT("Công chức"),
    PUBLIC_EMPLOYEE("Viên chức");

    private final String vietnamese;

    StaffGroup(String vietnamese) {
        this.vietnamese = vietnamese;
    }

    /** The row label of the usage table. */
    public String vietnamese() {
        return vietnamese;
    }
}
