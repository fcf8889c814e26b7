package io.wharf.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.wharf.agent.driver.ExecResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CheckRunnerTest {
    private HttpServer server;
    private final CheckRunner runner = new CheckRunner((cmd, timeout) ->
            cmd.getFirst().equals("ok") ? new ExecResult(0, "fine\n") : new ExecResult(3, "broken\n"));

    @BeforeEach
    void setUp() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", exchange -> {
            int status = Integer.parseInt(exchange.getRequestURI().getPath().substring(1));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
    }

    private URI uri(int status) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + status);
    }

    @ParameterizedTest(name = "HTTP {0} is healthy: {1}")
    @CsvSource({"200, true", "204, true", "302, true", "399, true", "404, false", "500, false", "503, false"})
    void httpStatusDecidesHealth(int status, boolean healthy) {
        CheckResult r = runner.run(new HealthCheck.Http(uri(status)), Duration.ofSeconds(2));
        assertThat(r).isEqualTo(new CheckResult(healthy, "GET " + uri(status) + ": " + status));
    }

    @Test
    void httpToAClosedPortFails() throws IOException {
        int closed;
        try (var s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        var r = runner.run(new HealthCheck.Http(URI.create("http://127.0.0.1:" + closed + "/")), Duration.ofSeconds(2));
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).startsWith("GET http://127.0.0.1:" + closed + "/: ConnectException");
    }

    @Test
    void tcpSucceedsOnAListeningPortAndFailsOnAClosedOne() throws IOException {
        int port = server.getAddress().getPort();
        assertThat(runner.run(new HealthCheck.Tcp("127.0.0.1", port), Duration.ofSeconds(1)))
                .isEqualTo(CheckResult.ok("connected to 127.0.0.1:" + port));
        int closed;
        try (var s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        assertThat(runner.run(new HealthCheck.Tcp("127.0.0.1", closed), Duration.ofSeconds(1)).ok()).isFalse();
    }

    @Test
    void commandPassesOnExitZeroAndReportsTheOutput() {
        assertThat(runner.run(new HealthCheck.Command(List.of("ok")), Duration.ofSeconds(1)))
                .isEqualTo(CheckResult.ok("ok: exit 0: fine"));
        assertThat(runner.run(new HealthCheck.Command(List.of("bad", "x")), Duration.ofSeconds(1)))
                .isEqualTo(CheckResult.failed("bad x: exit 3: broken"));
    }
}
