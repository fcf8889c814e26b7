package io.wharf.dns.transport;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * Relays a query to the upstream server and returns its reply unchanged: over UDP from a fresh
 * socket per query (so replies cannot be confused across queries), or over TCP when the client
 * asked over TCP. Blocking: callers run it on a virtual thread.
 *
 * <p>Thread safety: safe from any thread; at most {@link #MAX_IN_FLIGHT} queries are forwarded at
 * once.
 */
public final class Forwarder {

  /** Forwarded queries in flight at once; more get SERVFAIL at once (a flood must not pile up sockets). */
  public static final int MAX_IN_FLIGHT = 1024;

  private final InetSocketAddress upstream;
  private final Duration timeout;
  private final java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(MAX_IN_FLIGHT);

  public Forwarder(InetSocketAddress upstream, Duration timeout) {
    this.upstream = Objects.requireNonNull(upstream, "upstream");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  public InetSocketAddress upstream() {
    return upstream;
  }

  /**
   * The upstream's reply, or null when it gave none in time or too many queries are in flight
   * (the caller answers SERVFAIL).
   */
  public byte[] forward(byte[] query, int length, boolean tcp) {
    if (!inFlight.tryAcquire()) {
      return null;
    }
    try {
      return tcp ? overTcp(query, length) : overUdp(query, length);
    } catch (IOException e) {
      return null;
    } finally {
      inFlight.release();
    }
  }

  private byte[] overUdp(byte[] query, int length) throws IOException {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.connect(upstream);
      socket.setSoTimeout((int) timeout.toMillis());
      socket.send(new DatagramPacket(query, length));
      byte[] buffer = new byte[65535];
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(reply);
        } catch (SocketTimeoutException e) {
          return null;
        }
        if (reply.getLength() >= 2 && buffer[0] == query[0] && buffer[1] == query[1]) {
          return Arrays.copyOf(buffer, reply.getLength());
        }
      }
      return null;
    }
  }

  private byte[] overTcp(byte[] query, int length) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(upstream, (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeShort(length);
      out.write(query, 0, length);
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] reply = new byte[in.readUnsignedShort()];
      in.readFully(reply);
      return reply;
    } catch (SocketTimeoutException e) {
      return null;
    }
  }
}
