package io.wharf.agent.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Runs one check and reports the outcome as a value; it never throws for a failing target.
 * Command checks go through {@code exec} (the driver's exec bound to the task).
 *
 * <p>Thread safety: safe for concurrent use.
 */
public final class CheckRunner {
    /** Runs a command inside the task and returns its exit code and output. */
    @FunctionalInterface
    public interface Exec {
        io.wharf.agent.driver.ExecResult run(List<String> command, Duration timeout);
    }

    private final HttpClient http;
    private final Exec exec;

    public CheckRunner(Exec exec) {
        this.exec = exec;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public CheckResult run(HealthCheck check, Duration timeout) {
        return switch (check) {
            case HealthCheck.Http h -> http(h, timeout);
            case HealthCheck.Tcp t -> tcp(t, timeout);
            case HealthCheck.Command c -> command(c, timeout);
        };
    }

    private CheckResult http(HealthCheck.Http h, Duration timeout) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(h.uri()).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            String msg = "GET " + h.uri() + ": " + r.statusCode();
            return r.statusCode() >= 200 && r.statusCode() < 400 ? CheckResult.ok(msg) : CheckResult.failed(msg);
        } catch (IOException e) {
            return CheckResult.failed("GET " + h.uri() + ": " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.failed("GET " + h.uri() + ": interrupted");
        }
    }

    private static CheckResult tcp(HealthCheck.Tcp t, Duration timeout) {
        try (var s = new Socket()) {
            s.connect(new InetSocketAddress(t.host(), t.port()), (int) timeout.toMillis());
            return CheckResult.ok("connected to " + t.host() + ":" + t.port());
        } catch (IOException e) {
            return CheckResult.failed("connect " + t.host() + ":" + t.port() + ": " + describe(e));
        }
    }

    private CheckResult command(HealthCheck.Command c, Duration timeout) {
        try {
            var r = exec.run(c.command(), timeout);
            String out = r.output().strip();
            if (out.length() > 200) out = out.substring(0, 200) + "...";
            String msg = String.join(" ", c.command()) + ": exit " + r.exitCode() + (out.isEmpty() ? "" : ": " + out);
            return r.exitCode() == 0 ? CheckResult.ok(msg) : CheckResult.failed(msg);
        } catch (RuntimeException e) {
            return CheckResult.failed(String.join(" ", c.command()) + ": " + describe(e));
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " " + m);
    }
}
