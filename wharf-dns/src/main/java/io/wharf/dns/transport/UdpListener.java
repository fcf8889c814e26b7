package io.wharf.dns.transport;

import io.wharf.dns.answer.PacketHandler;
import io.wharf.dns.answer.Reply;
import io.wharf.dns.answer.Responder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives queries over UDP. Each of {@code threads} platform threads owns one blocking
 * {@link DatagramChannel} bound to the same address with SO_REUSEPORT, so the kernel spreads
 * datagrams across them and no lock is shared on the hot path (where SO_REUSEPORT is missing,
 * the threads share one channel). Each thread answers on its own socket with its own buffer;
 * forwarded queries go to a virtual thread so a slow upstream never stalls the listener.
 *
 * <p>Thread safety: {@link #close()} from any thread; it closes the sockets, which ends the loops.
 */
public final class UdpListener implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(UdpListener.class);

  private final PacketHandler handler;
  private final Forwarder forwarder;
  private final int maxPayload;
  private final List<DatagramChannel> channels = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final InetSocketAddress address;
  private volatile boolean closed;

  private UdpListener(PacketHandler handler, Forwarder forwarder, int maxPayload,
      InetSocketAddress address) {
    this.handler = handler;
    this.forwarder = forwarder;
    this.maxPayload = maxPayload;
    this.address = address;
  }

  /** Binds {@code listen} (port 0: a free one) and starts receiving. */
  public static UdpListener start(InetSocketAddress listen, int threads, PacketHandler handler,
      Forwarder forwarder, int maxPayload) throws IOException {
    DatagramChannel first = open(listen, threads > 1);
    InetSocketAddress bound = (InetSocketAddress) first.getLocalAddress();
    UdpListener listener = new UdpListener(handler, forwarder, maxPayload, bound);
    listener.channels.add(first);
    try {
      boolean shared = threads > 1 && first.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
      for (int i = 1; i < threads && shared; i++) {
        listener.channels.add(open(bound, true));
      }
      for (int i = 0; i < threads; i++) {
        DatagramChannel channel = listener.channels.get(i % listener.channels.size());
        Thread t = Thread.ofPlatform().daemon().name("dns-udp-" + i)
            .unstarted(() -> listener.serve(channel));
        listener.threads.add(t);
      }
    } catch (IOException | RuntimeException e) {
      listener.close();
      throw e;
    }
    listener.threads.forEach(Thread::start);
    return listener;
  }

  private static DatagramChannel open(InetSocketAddress at, boolean reusePort) throws IOException {
    DatagramChannel channel = DatagramChannel.open(
        at.getAddress() instanceof java.net.Inet6Address ? java.net.StandardProtocolFamily.INET6
            : java.net.StandardProtocolFamily.INET);
    try {
      if (reusePort && channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
        channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
      }
      channel.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
      channel.bind(at);
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  public InetSocketAddress address() {
    return address;
  }

  private void serve(DatagramChannel channel) {
    ByteBuffer in = ByteBuffer.allocate(65535);
    byte[] packet = in.array();
    while (!closed) {
      SocketAddress client;
      try {
        in.clear();
        client = channel.receive(in);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (closed) {
          return;
        }
        log.warn("receiving a DNS query failed", e);
        continue;
      }
      int length = in.position();
      try {
        switch (handler.handle(packet, length, true)) {
          case Reply.Send send -> channel.send(ByteBuffer.wrap(send.message()), client);
          case Reply.Drop drop -> log.debug("dropped a packet from {}: {}", client, drop.reason());
          case Reply.Forward f -> forward(channel, java.util.Arrays.copyOf(packet, length), client);
        }
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        log.debug("cannot answer {}: {}", client, e.getMessage());
      } catch (RuntimeException e) {
        // A bug answering one packet must not end the listener.
        log.error("answering a DNS query from {} failed", client, e);
      }
    }
  }

  private void forward(DatagramChannel channel, byte[] query, SocketAddress client) {
    Thread.ofVirtual().name("dns-forward").start(() -> {
      byte[] reply = forwarder.forward(query, query.length, false);
      if (reply == null) {
        reply = Responder.serverFailure(handler.index(), query, query.length, maxPayload);
      }
      try {
        channel.send(ByteBuffer.wrap(reply), client);
      } catch (IOException e) {
        log.debug("cannot relay the upstream's answer to {}: {}", client, e.getMessage());
      }
    });
  }

  @Override
  public void close() {
    closed = true;
    for (DatagramChannel c : channels) {
      try {
        c.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    for (Thread t : threads) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
