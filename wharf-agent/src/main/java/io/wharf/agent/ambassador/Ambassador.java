package io.wharf.agent.ambassador;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One local listener on 127.0.0.1 that forwards every accepted connection to one of the current
 * {@link #targets}: round robin, and on a refused or timed-out connect the next target, so a
 * stale address costs one connect attempt, not a failed request. A connection already forwarded
 * stays with its target until either side closes; changing the targets affects new connections
 * only (what a dependency being drained needs).
 *
 * <p>Concurrency: an accept loop on a virtual thread; per connection a virtual thread per
 * direction. Targets are an immutable list swapped through a volatile field.
 */
final class Ambassador implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Ambassador.class);
    static final int CONNECT_TIMEOUT_MILLIS = 2_000;

    private final AmbassadorKey key;
    private final ServerSocket server;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile List<InetSocketAddress> targets = List.of();
    private volatile boolean closed;

    /** Listens on 127.0.0.1:{@code port} ({@code 0} = any free port). */
    Ambassador(AmbassadorKey key, int port) throws IOException {
        this.key = key;
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        this.server = s;
        Thread.ofVirtual().name("ambassador-" + key).start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    AmbassadorKey key() {
        return key;
    }

    List<InetSocketAddress> targets() {
        return targets;
    }

    void targets(List<InetSocketAddress> next) {
        if (!next.equals(targets)) {
            log.info("ambassador {} on 127.0.0.1:{} now forwards to {}", key, port(), next);
        }
        this.targets = List.copyOf(next);
    }

    /** Connections forwarded and connections closed for want of a reachable target, since start. */
    long forwarded() {
        return forwarded.get();
    }

    long refused() {
        return refused.get();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) log.warn("ambassador {} stopped accepting: {}", key, e.getMessage());
                return;
            }
            Thread.ofVirtual().name("ambassador-conn-" + key).start(() -> forward(client));
        }
    }

    private void forward(Socket client) {
        Socket upstream = connect();
        if (upstream == null) {
            refused.incrementAndGet();
            closeQuietly(client);
            return;
        }
        forwarded.incrementAndGet();
        try {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
        } catch (SocketException ignored) {
            // a socket already closed shows up in the copy below
        }
        Thread back = Thread.ofVirtual().name("ambassador-back-" + key).start(() -> pipe(upstream, client));
        pipe(client, upstream);
        try {
            back.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    /** A connected socket to one of the targets, trying each at most once, or null. */
    private Socket connect() {
        List<InetSocketAddress> now = targets;
        int start = Math.floorMod(next.getAndIncrement(), Math.max(1, now.size()));
        for (int i = 0; i < now.size(); i++) {
            InetSocketAddress target = now.get((start + i) % now.size());
            Socket s = new Socket();
            try {
                s.connect(target, CONNECT_TIMEOUT_MILLIS);
                return s;
            } catch (IOException e) {
                closeQuietly(s);
                log.debug("ambassador {}: {} unreachable ({}), trying the next", key, target, e.getMessage());
            }
        }
        return null;
    }

    /** Copies until end of stream, then half-closes the other side so the peer sees the end too. */
    private static void pipe(Socket from, Socket to) {
        try {
            // Not try-with-resources: closing a socket's stream closes the socket, and the other
            // direction may still be flowing.
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            in.transferTo(out);
            out.flush();
            to.shutdownOutput();
        } catch (IOException e) {
            // one side went away: closing both (by the caller) ends the other direction
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
