package vn.kyso;

/** Where a private key lives, as agencies count devices in their reports. */
public enum DeviceKind {
    /** A USB token read through PKCS#11. */
    USB_TOKEN("Thiết bị USB token"),
    /** A PKI SIM card signed remotely through a mobile operator's service. */
    PKI_SIM("SIM PKI"),
    /** A key in a file (PKCS#12), for servers, tests and demos. */
    FILE("Tệp khóa");

    private final String vietnamese;

    DeviceKind(String vietnamese) {
        this.vietnamese = vietnamese;
    }

    /** The name used in Vietnamese reports. */
    public String vietnamese() {
        return vietnamese;
    }
}
