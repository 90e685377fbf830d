package vn.kyso.agent;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which web origins may talk to the agent: an exact allow-list set by the installer or an
 * administrator, and, inside it, the origins the user has allowed once (kept in a file so the
 * question is asked only on first use, and revocable).
 */
final class Origins {
    private final Set<String> allowed;
    private final Path grantsFile;
    private final Set<String> granted = new LinkedHashSet<>();

    /**
     * @param allowed exact {@code https://host[:port]} origins
     * @param grantsFile where the user's answers are remembered; null keeps them in memory only
     * @throws IllegalArgumentException when an origin is not an exact https origin
     */
    Origins(Collection<String> allowed, Path grantsFile) throws IOException {
        Set<String> checked = new LinkedHashSet<>();
        for (String origin : allowed) {
            checked.add(normalize(origin));
        }
        this.allowed = Set.copyOf(checked);
        this.grantsFile = grantsFile;
        if (grantsFile != null && Files.exists(grantsFile)) {
            for (String line : Files.readAllLines(grantsFile, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && this.allowed.contains(line.trim())) {
                    granted.add(line.trim());
                }
            }
        }
    }

    /**
     * The origin as browsers serialize it: {@code https://} plus a lower-case host and a port
     * only when not 443; anything else (a path, user info, a wildcard, http) is refused.
     */
    static String normalize(String origin) {
        URI uri;
        try {
            uri = new URI(origin.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + origin + "' is not an origin: " + e.getMessage(), e);
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null
                || uri.getRawFragment() != null || uri.getHost().contains("*")) {
            throw new IllegalArgumentException("'" + origin + "' is not an exact origin like https://dms.example.gov.vn"
                    + " (https only, no path, no wildcard)");
        }
        int port = uri.getPort();
        return "https://" + uri.getHost().toLowerCase(Locale.ROOT) + (port == -1 || port == 443 ? "" : ":" + port);
    }

    /** Whether the Origin header value is on the allow-list, compared exactly. */
    boolean isAllowed(String origin) {
        return origin != null && allowed.contains(origin);
    }

    synchronized boolean isGranted(String origin) {
        return granted.contains(origin);
    }

    /** Remembers the user's yes for an allowed origin. */
    synchronized void grant(String origin) throws IOException {
        if (!isAllowed(origin)) {
            throw new IllegalArgumentException(origin + " is not on the allow-list");
        }
        if (granted.add(origin)) {
            save();
        }
    }

    /** Forgets the user's yes: the next use asks again. */
    synchronized void revoke(String origin) throws IOException {
        if (granted.remove(origin)) {
            save();
        }
    }

    synchronized List<String> granted() {
        return new ArrayList<>(granted);
    }

    List<String> allowed() {
        return List.copyOf(allowed);
    }

    private void save() throws IOException {
        if (grantsFile == null) {
            return;
        }
        Files.createDirectories(grantsFile.toAbsolutePath().getParent());
        Path tmp = grantsFile.resolveSibling(grantsFile.getFileName() + ".tmp");
        Files.write(tmp, granted, StandardCharsets.UTF_8);
        Files.move(tmp, grantsFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
