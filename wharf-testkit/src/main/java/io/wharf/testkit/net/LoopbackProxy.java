package io.wharf.testkit.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on 127.0.0.1 in front of one loopback server, for network-partition tests: while
 * {@link #cut() cut} it drops every open connection and closes new ones at once (the client sees
 * a reset, as when the server is unreachable), while the server itself keeps running and serving
 * others. {@link #restore()} lets connections through again.
 *
 * <p>Threads: one virtual thread accepts, two per connection copy bytes. Thread-safe.
 */
public final class LoopbackProxy implements AutoCloseable {
  private final int targetPort;
  private final ServerSocket listener;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;
  private volatile boolean closed;

  /** Starts a proxy on a free 127.0.0.1 port forwarding to 127.0.0.1:{@code targetPort}. */
  public LoopbackProxy(int targetPort) {
    this.targetPort = targetPort;
    try {
      listener = new ServerSocket();
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1", e);
    }
    Thread.ofVirtual().name("loopback-proxy-accept " + port()).start(this::acceptLoop);
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** The proxy's address as an http URL, e.g. {@code http://127.0.0.1:41000}. */
  public String httpEndpoint() {
    return "http://127.0.0.1:" + port();
  }

  /** Drops every open connection and refuses (accepts and closes) new ones until restored. */
  public void cut() {
    cut = true;
    for (Socket s : open) {
      closeQuietly(s);
    }
    open.clear();
  }

  /** Lets new connections through again. */
  public void restore() {
    cut = false;
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(listener);
    cut();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (cut) {
        closeQuietly(client);
        continue;
      }
      Thread.ofVirtual().start(() -> connect(client));
    }
  }

  private void connect(Socket client) {
    Socket upstream;
    try {
      upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
    } catch (IOException e) {
      closeQuietly(client);
      return;
    }
    open.add(client);
    open.add(upstream);
    if (cut) {
      closeQuietly(client);
      closeQuietly(upstream);
      return;
    }
    Thread.ofVirtual().start(() -> pump(client, upstream));
    pump(upstream, client);
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException ignored) {
      // one side closed; close both below
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // already closed
    }
  }
}
