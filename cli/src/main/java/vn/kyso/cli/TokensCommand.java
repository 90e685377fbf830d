package vn.kyso.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vn.kyso.pkcs11.Pkcs11Diagnostics;

/**
 * {@code kyso tokens}: what a help desk asks first when a token "does not work on this PC":
 * the drivers tried and why each failed, the tokens they see, and the certificates on them.
 */
@Command(name = "tokens", description = "Chẩn đoán thiết bị ký số (USB token) / List PKCS#11 drivers, tokens and "
        + "their certificates.")
final class TokensCommand implements Callable<Integer> {

    @Option(names = "--library", paramLabel = "PATH",
            description = "The token's PKCS#11 driver; without it the drivers of Vietnamese tokens are searched.")
    Path library;

    @Option(names = "--token", paramLabel = "LABEL_OR_SERIAL", description = "Show only this token.")
    String token;

    @Override
    public Integer call() {
        Map<String, String> settings = new HashMap<>();
        if (library != null) {
            settings.put("library", library.toString());
        }
        if (token != null) {
            settings.put("token", token);
        }
        System.out.print(Pkcs11Diagnostics.report(settings));
        return 0;
    }
}
