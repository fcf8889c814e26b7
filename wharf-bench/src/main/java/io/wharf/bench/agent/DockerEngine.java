package io.wharf.bench.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few Engine API calls the benchmark polls with (list, kill, remove), spoken as HTTP/1.0
 * over the daemon's Unix socket so polling costs one cheap request, not a CLI process; and the
 * docker CLI itself for what the peers are measured with ({@code docker run}, {@code docker swarm},
 * {@code docker service}).
 *
 * <p>Thread safety: stateless apart from the socket path; each call opens its own connection.
 */
final class DockerEngine {
    private static final Pattern ID = Pattern.compile("\"Id\"\\s*:\\s*\"([0-9a-f]{64})\"");
    private static final Pattern STARTED_AT = Pattern.compile("\"StartedAt\"\\s*:\\s*\"([^\"]*)\"");
    private static final String CLI = "/usr/bin/docker";

    private final Path socket;
    private final String apiVersion;

    DockerEngine(Path socket, String apiVersion) {
        this.socket = socket;
        this.apiVersion = apiVersion;
    }

    /** Ids of running containers carrying {@code label} ({@code key} or {@code key=value}). */
    List<String> running(String label) {
        String filters = "{\"status\":[\"running\"],\"label\":[\"" + label + "\"]}";
        String body = call("GET", "/containers/json?filters=" + URLEncoder.encode(filters, StandardCharsets.UTF_8));
        List<String> ids = new ArrayList<>();
        Matcher m = ID.matcher(body);
        while (m.find()) ids.add(m.group(1));
        return ids;
    }

    /** Ids of all containers, running or not. */
    List<String> all() {
        String body = call("GET", "/containers/json?all=true");
        List<String> ids = new ArrayList<>();
        Matcher m = ID.matcher(body);
        while (m.find()) ids.add(m.group(1));
        return ids;
    }

    boolean isRunning(String id) {
        String body = call("GET", "/containers/" + id + "/json");
        return body.contains("\"Running\":true");
    }

    /** The container's State.StartedAt, or "" when it is gone. */
    String startedAt(String id) {
        Matcher m = STARTED_AT.matcher(call("GET", "/containers/" + id + "/json"));
        return m.find() ? m.group(1) : "";
    }

    void kill(String id) { call("POST", "/containers/" + id + "/kill"); }

    void removeAll() {
        for (String id : all()) call("DELETE", "/containers/" + id + "?force=true");
    }

    /** Runs the docker CLI against this daemon; returns its output, failing on a non-zero exit. */
    String cli(String... args) {
        List<String> command = new ArrayList<>(List.of(CLI, "-H", "unix://" + socket));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", args) + " exited " + p.exitValue() + ": " + out.trim());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private String call(String method, String path) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            String head = method + " /v" + apiVersion + path + " HTTP/1.0\r\nHost: docker\r\nContent-Length: 0\r\n\r\n";
            ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
            InputStream in = Channels.newInputStream(ch);
            var buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            String response = buf.toString(StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            int split = response.indexOf("\r\n\r\n");
            String body = split < 0 ? "" : response.substring(split + 4);
            if (status >= 400 && status != 404 && status != 409) {
                throw new IllegalStateException(method + " " + path + " -> " + status + " " + body);
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        }
    }
}
