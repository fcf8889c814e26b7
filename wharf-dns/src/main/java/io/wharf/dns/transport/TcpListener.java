package io.wharf.dns.transport;

import io.wharf.dns.answer.PacketHandler;
import io.wharf.dns.answer.Reply;
import io.wharf.dns.answer.Responder;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives queries over TCP (RFC 1035 §4.2.2, RFC 7766): each message preceded by its 2-byte
 * length, several per connection, answered in order. One virtual thread accepts, one virtual
 * thread serves each connection; at most {@code maxConnections} at once (more are closed at
 * once) and a connection idle for {@code idleTimeout} is closed. A length of zero or a malformed
 * message that is not owed an answer ends the connection.
 *
 * <p>Thread safety: {@link #close()} from any thread; it closes the server socket and every
 * open connection.
 */
public final class TcpListener implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TcpListener.class);

  private final ServerSocket server;
  private final PacketHandler handler;
  private final Forwarder forwarder;
  private final int maxPayload;
  private final Duration idleTimeout;
  private final Semaphore slots;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closed;

  private TcpListener(ServerSocket server, PacketHandler handler, Forwarder forwarder,
      int maxPayload, int maxConnections, Duration idleTimeout) {
    this.server = server;
    this.handler = handler;
    this.forwarder = forwarder;
    this.maxPayload = maxPayload;
    this.idleTimeout = idleTimeout;
    this.slots = new Semaphore(maxConnections);
    this.acceptor = Thread.ofVirtual().name("dns-tcp-accept").unstarted(this::accept);
  }

  public static TcpListener start(InetSocketAddress listen, PacketHandler handler,
      Forwarder forwarder, int maxPayload, int maxConnections, Duration idleTimeout)
      throws IOException {
    ServerSocket server = new ServerSocket();
    try {
      server.setReuseAddress(true);
      server.bind(listen, 128);
    } catch (IOException e) {
      server.close();
      throw e;
    }
    TcpListener listener = new TcpListener(server, handler, forwarder, maxPayload, maxConnections,
        idleTimeout);
    listener.acceptor.start();
    return listener;
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  private void accept() {
    while (!closed) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (!closed) {
          log.warn("accepting a DNS connection failed", e);
        }
        if (server.isClosed()) {
          return;
        }
        continue;
      }
      if (!slots.tryAcquire()) {
        closeQuietly(socket);
        continue;
      }
      open.add(socket);
      Thread.ofVirtual().name("dns-tcp").start(() -> {
        try {
          serve(socket);
        } finally {
          open.remove(socket);
          closeQuietly(socket);
          slots.release();
        }
      });
    }
  }

  private void serve(Socket socket) {
    try {
      socket.setSoTimeout((int) Math.max(1, idleTimeout.toMillis()));
      socket.setTcpNoDelay(true);
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      OutputStream out = socket.getOutputStream();
      byte[] packet = new byte[65535];
      while (!closed) {
        int length = in.readUnsignedShort();
        if (length == 0) {
          return;
        }
        in.readFully(packet, 0, length);
        byte[] reply = switch (handler.handle(packet, length, false)) {
          case Reply.Send send -> send.message();
          case Reply.Drop drop -> null;
          case Reply.Forward f -> {
            byte[] relayed = forwarder.forward(packet, length, true);
            yield relayed != null ? relayed
                : Responder.serverFailure(handler.index(), packet, length, maxPayload);
          }
        };
        if (reply == null) {
          return;
        }
        byte[] framed = new byte[reply.length + 2];
        framed[0] = (byte) (reply.length >>> 8);
        framed[1] = (byte) reply.length;
        System.arraycopy(reply, 0, framed, 2, reply.length);
        out.write(framed);
        out.flush();
      }
    } catch (EOFException | SocketTimeoutException | SocketException e) {
      // The client went away, went quiet, or the server is closing: end the connection.
    } catch (IOException e) {
      log.debug("DNS connection from {} failed: {}", socket.getRemoteSocketAddress(), e.getMessage());
    } catch (RuntimeException e) {
      log.error("answering a DNS query over TCP from {} failed", socket.getRemoteSocketAddress(), e);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // being abandoned either way
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
    open.forEach(TcpListener::closeQuietly);
    try {
      acceptor.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
