package io.wharf.agent.ambassador;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An ambassador forwarding real TCP connections on loopback to backends that answer with their name. */
class AmbassadorTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) c.close();
    }

    /** A backend that, per connection, writes its name, then echoes what it reads until the end. */
    private InetSocketAddress backend(String name) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        open.add(server);
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            s.getOutputStream().write((name + "\n").getBytes(StandardCharsets.UTF_8));
                            s.getInputStream().transferTo(s.getOutputStream());
                        } catch (IOException ignored) {
                            // client went away
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** A loopback port nothing listens on. */
    private static InetSocketAddress closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return (InetSocketAddress) s.getLocalSocketAddress();
        }
    }

    private Ambassador ambassador() throws IOException {
        Ambassador a = new Ambassador(new AmbassadorKey("shop", "db", "postgres"), 0);
        open.add(a);
        return a;
    }

    private static String firstLine(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') line.append((char) c);
        return c < 0 && line.isEmpty() ? null : line.toString();
    }

    private Socket connect(Ambassador a) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), a.port());
        open.add(s);
        return s;
    }

    @Test
    void connectionsGoRoundRobinAndCarryBytesBothWays() throws Exception {
        Ambassador a = ambassador();
        a.targets(List.of(backend("one"), backend("two")));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Socket s = connect(a);
            names.add(firstLine(s));
            OutputStream out = s.getOutputStream();
            out.write("ping\n".getBytes(StandardCharsets.UTF_8));
            assertThat(firstLine(s)).isEqualTo("ping");
            s.shutdownOutput();
            assertThat(s.getInputStream().read()).as("the backend's end reaches the client").isEqualTo(-1);
        }
        assertThat(names).containsExactlyInAnyOrder("one", "two", "one", "two");
        assertThat(a.forwarded()).isEqualTo(4);
    }

    @Test
    void aTargetThatRefusesIsSkippedForTheNext() throws Exception {
        Ambassador a = ambassador();
        a.targets(List.of(closedPort(), backend("alive")));
        for (int i = 0; i < 3; i++) {
            assertThat(firstLine(connect(a))).isEqualTo("alive");
        }
        assertThat(a.refused()).isZero();
    }

    @Test
    void withoutATargetTheConnectionIsClosedAndNewTargetsServeNewConnections() throws Exception {
        Ambassador a = ambassador();
        assertThat(firstLine(connect(a))).as("nothing to forward to: closed at once").isNull();
        assertThat(a.refused()).isEqualTo(1);

        a.targets(List.of(backend("old")));
        Socket kept = connect(a);
        assertThat(firstLine(kept)).isEqualTo("old");
        a.targets(List.of(backend("new")));
        assertThat(firstLine(connect(a))).isEqualTo("new");
        kept.getOutputStream().write("still\n".getBytes(StandardCharsets.UTF_8));
        assertThat(firstLine(kept)).as("a forwarded connection stays with its target").isEqualTo("still");
    }
}
