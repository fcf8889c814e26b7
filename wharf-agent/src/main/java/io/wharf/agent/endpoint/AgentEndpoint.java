package io.wharf.agent.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.wharf.agent.driver.ExecResult;
import io.wharf.agent.driver.TaskId;
import io.wharf.agent.logs.LogLine;
import io.wharf.agent.logs.LogReader;
import io.wharf.agent.logs.LogStream;
import io.wharf.agent.logs.TaskLogStore;
import io.wharf.agent.node.InstanceKey;
import io.wharf.agent.node.InstanceSupervisor;
import io.wharf.model.quantity.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's own HTTP endpoint (docs/api.md, "Nodes and agents"), which the server proxies
 * logs and exec to: {@code GET /v1/agent/instances/{ns}/{name}/logs?task=&since=&follow=} and
 * {@code POST /v1/agent/instances/{ns}/{name}/exec}; also {@code GET /metrics} (Prometheus text).
 * Errors use the API's JSON error shape.
 *
 * <p>Logs and exec answer servers only: each call carries a short-lived token a server minted for
 * it ({@link AgentCallVerifier}); without a valid one the answer is 401 {@code unauthenticated},
 * with one for another instance or action 403 {@code forbidden}, before anything else is looked at.
 * Health and metrics stay open (they say nothing about workloads' contents).
 *
 * <p>JDK HTTP server with a virtual thread per exchange; a followed log holds its exchange's
 * thread until the client goes away or the endpoint closes.
 */
public final class AgentEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentEndpoint.class);
    private static final String PREFIX = "/v1/agent/instances/";
    private static final Duration EXEC_TIMEOUT = Duration.ofMinutes(5);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final InstanceSupervisor supervisor;
    private final TaskLogStore logs;
    private final InstantSource clock;
    private final AgentCallVerifier calls;
    private final ObjectMapper json = new ObjectMapper();
    private volatile boolean closed;

    public AgentEndpoint(String bindHost, int port, InstanceSupervisor supervisor, TaskLogStore logs, InstantSource clock,
                         AgentCallVerifier calls) {
        this.calls = java.util.Objects.requireNonNull(calls, "calls");
        this.supervisor = supervisor;
        this.logs = logs;
        this.clock = clock;
        try {
            this.server = HttpServer.create(new InetSocketAddress(bindHost, port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + bindHost + ":" + port + ": " + e.getMessage(), e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The base URL the server reaches this endpoint at. */
    public URI address() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        return URI.create("http://" + host + ":" + a.getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (path.equals("/v1/agent/health")) {
                sendJson(exchange, 200, json.createObjectNode().put("status", "ok"));
                return;
            }
            if (path.equals("/metrics") && exchange.getRequestMethod().equals("GET")) {
                byte[] body = supervisor.metrics().scrape().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            String[] parts = path.startsWith(PREFIX) ? path.substring(PREFIX.length()).split("/") : new String[0];
            if (parts.length != 3 || !(parts[2].equals("logs") || parts[2].equals("exec"))) {
                sendError(exchange, 404, "not_found", "no such route");
                return;
            }
            var key = new InstanceKey(decode(parts[0]), decode(parts[1]));
            String method = exchange.getRequestMethod();
            if (!(parts[2].equals("logs") && method.equals("GET") || parts[2].equals("exec") && method.equals("POST"))) {
                sendError(exchange, 405, "method_not_allowed", "method not allowed on this path");
                return;
            }
            AgentCallVerifier.Caller caller;
            try {
                caller = calls.verify(exchange.getRequestHeaders().getFirst("Authorization"), key.namespace(),
                        key.name(), parts[2]);
            } catch (AgentCallVerifier.Refusal r) {
                if (r.status() == 401) exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                sendError(exchange, r.status(), r.status() == 401 ? "unauthenticated" : "forbidden", r.getMessage());
                return;
            }
            if (parts[2].equals("exec")) {
                log.info("exec in {} for {}", key, caller.subject());
                exec(exchange, key);
            } else {
                logs(exchange, key);
            }
        } catch (RuntimeException e) {
            log.warn("agent endpoint failed on {}", exchange.getRequestURI(), e);
            try {
                sendError(exchange, 500, "internal", String.valueOf(e.getMessage()));
            } catch (IOException | RuntimeException ignored) {
                // headers already sent: the client sees the stream end
            }
        }
    }

    private void logs(HttpExchange exchange, InstanceKey key) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI());
        var entry = supervisor.find(key);
        if (entry.isEmpty()) {
            sendError(exchange, 404, "not_found", "instance " + key + " does not run on this node");
            return;
        }
        String task = query.getOrDefault("task", InstanceSupervisor.mainTask(entry.get().instance()));
        boolean known = entry.get().instance().spec().tasks().stream().anyMatch(t -> t.name().equals(task));
        if (!known) {
            sendError(exchange, 404, "not_found", "instance " + key + " has no task " + task);
            return;
        }
        Instant since = null;
        if (query.containsKey("since")) {
            Optional<Duration> d = Durations.parse(query.get("since"));
            if (d.isEmpty() || d.get().isNegative()) {
                sendError(exchange, 400, "malformed", "since: not a duration: " + query.get("since"));
                return;
            }
            since = clock.instant().minus(d.get());
        }
        boolean follow = "true".equals(query.get("follow"));
        LogReader reader = logs.reader(new TaskId(key.taskInstance(), task));
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        if (!follow) {
            write(out, reader.read(LogStream.STDOUT, since));
            write(out, reader.read(LogStream.STDERR, since));
            return;
        }
        var queue = new LinkedBlockingQueue<LogLine>();
        // Follow first, then read what is there: a line written in between may show twice, never not at all.
        try (AutoCloseable o = reader.follow(LogStream.STDOUT, queue::add);
             AutoCloseable e = reader.follow(LogStream.STDERR, queue::add)) {
            write(out, reader.read(LogStream.STDOUT, since));
            write(out, reader.read(LogStream.STDERR, since));
            out.flush();
            while (!closed) {
                LogLine line = queue.poll(1, TimeUnit.SECONDS);
                if (line == null) {
                    if (supervisor.find(key).isEmpty()) return; // the instance is gone: end the stream
                    continue;
                }
                var batch = new ArrayList<LogLine>();
                batch.add(line);
                queue.drainTo(batch);
                write(out, batch);
                out.flush();
            }
        } catch (IOException clientGone) {
            // the client closed the stream
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
        }
    }

    private void exec(HttpExchange exchange, InstanceKey key) throws IOException {
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            body = json.readTree(in.readNBytes(1 << 20));
        } catch (IOException e) {
            sendError(exchange, 400, "malformed", "body is not JSON");
            return;
        }
        if (body == null || !body.path("command").isArray() || body.path("command").isEmpty()) {
            sendError(exchange, 400, "malformed", "command: must be a non-empty list of strings");
            return;
        }
        List<String> command = new ArrayList<>();
        body.path("command").forEach(c -> command.add(c.asText()));
        String task = body.hasNonNull("task") ? body.get("task").asText() : null;
        if (supervisor.find(key).isEmpty()) {
            sendError(exchange, 404, "not_found", "instance " + key + " does not run on this node");
            return;
        }
        Optional<ExecResult> result = supervisor.exec(key, task, command, EXEC_TIMEOUT);
        if (result.isEmpty()) {
            sendError(exchange, 409, "conflict", "task " + (task == null ? "main" : task) + " of instance " + key
                    + " is not running");
            return;
        }
        ObjectNode answer = json.createObjectNode();
        answer.put("exitCode", result.get().exitCode());
        answer.put("output", result.get().output());
        sendJson(exchange, 200, answer);
    }

    private static void write(OutputStream out, List<LogLine> lines) throws IOException {
        var text = new StringBuilder();
        for (LogLine l : lines) text.append(l.text()).append('\n');
        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private void sendError(HttpExchange exchange, int status, String code, String message) throws IOException {
        ObjectNode root = json.createObjectNode();
        root.putObject("error").put("code", code).put("message", message);
        sendJson(exchange, status, root);
    }

    private static Map<String, String> query(URI uri) {
        var out = new HashMap<String, String>();
        String raw = uri.getRawQuery();
        if (raw == null) return out;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) out.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
        return out;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        executor.shutdownNow();
    }
}
