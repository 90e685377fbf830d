package vn.kyso.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vn.kyso.testkit.RemoteSigningSimulator;
import vn.kyso.testkit.TestPki;

/**
 * {@code kyso simulator}: the remote-signing simulator (SP769, CSC v1, ETSI TS 102 204) on
 * 127.0.0.1 with test credentials, for vendors pointing an integration at it. Runs until stopped.
 */
@Command(name = "simulator", description = "Chạy dịch vụ ký số từ xa giả lập / Run the remote-signing simulator "
        + "(SP769, CSC v1, TS 102 204 MSS) on 127.0.0.1 until stopped.")
final class SimulatorCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", defaultValue = "0",
            description = "Port on 127.0.0.1; 0 (the default) takes a free one.")
    int port;

    @Option(names = "--json", description = "Print one JSON line keyed by dialect (url and credentials) once listening.")
    boolean json;

    @Option(names = "--delay", paramLabel = "DURATION", defaultValue = "PT2S",
            description = "How long the simulated phones take to answer (ISO-8601, default PT2S).")
    Duration delay;

    @Option(names = "--sp769-webhook", paramLabel = "URL",
            description = "POST each settled SP769 result to this URL (the callback a service provider registers).")
    java.net.URI sp769Webhook;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (sp769Webhook != null && !"http".equals(sp769Webhook.getScheme()) && !"https".equals(sp769Webhook.getScheme())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--sp769-webhook must be an http or https URL: "
                    + sp769Webhook);
        }
        RemoteSigningSimulator.Builder builder = RemoteSigningSimulator.builder().port(port);
        if (sp769Webhook != null) {
            builder.sp769Webhook(sp769Webhook);
        }
        try (TestPki pki = TestPki.start();
                RemoteSigningSimulator sim = builder.standardUsers(pki, delay).start()) {
            if (json) {
                out.println(sim.describeJson());
            } else {
                describe(out, sim);
            }
            out.flush();
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            // stopped by the embedding program (tests); Ctrl-C ends the JVM instead
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void describe(PrintWriter out, RemoteSigningSimulator sim) {
        out.println("kyso remote-signing simulator on " + sim.baseUri() + " (Ctrl-C to stop); test keys only");
        out.println("SP769 / NEAC  " + sim.sp769Uri() + "  sp_id=" + sim.spId() + " sp_password=" + sim.spPassword());
        if (sim.sp769Webhook() != null) {
            out.println("              results are POSTed to " + sim.sp769Webhook());
        }
        out.println("CSC v1        " + sim.cscUri() + "  client_id=" + sim.clientId() + " client_secret="
                + sim.clientSecret());
        out.println("TS 102 204    " + sim.mssUri() + "  AP_ID=" + sim.apId() + " AP_PWD=" + sim.apPassword());
        out.println("users (user_id = MSISDN = CSC userID):");
        for (String user : sim.userIds()) {
            out.println("  " + user + "  " + sim.behaviour(user).describe());
        }
        out.println("  (the MSS certificate of each MSISDN is in the --json output)");
    }
}
