package vn.kyso.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kyso} command: the end-to-end demo, verifying and signing files, token diagnostics, the remote-signing simulator, the certificate register and its usage report. */
@Command(name = "kyso", mixinStandardHelpOptions = true, version = "kyso 0.1.0",
        description = "Ký số cho văn bản nhà nước / Digital signatures for Vietnamese government documents.",
        subcommands = {DemoCommand.class, VerifyCommand.class, SignCommand.class, TokensCommand.class,
            SimulatorCommand.class, RegistryCommand.class, ReportCommand.class})
public final class KysoCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests and embedding). */
    static int run(String... args) {
        return new CommandLine(new KysoCommand())
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    commandLine.getErr().println("kyso: " + e.getMessage());
                    return e instanceof java.io.IOException ? VerifyCommand.UNREADABLE : VerifyCommand.NOT_ALL_VALID;
                })
                .execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
