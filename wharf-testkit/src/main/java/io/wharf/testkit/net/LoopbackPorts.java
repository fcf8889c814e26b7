package io.wharf.testkit.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds TCP ports that are free on 127.0.0.1 right now.
 *
 * <p>The ports are only known to be free at the moment of the call: another process may take
 * one before the caller binds it. Fixtures that start a server on such a port should retry
 * with fresh ports when the server reports "address already in use".
 */
public final class LoopbackPorts {
  private LoopbackPorts() {}

  /** One free port on 127.0.0.1. */
  public static int free() {
    return free(1).get(0);
  }

  /** {@code count} distinct free ports on 127.0.0.1 (all are held open together while picked). */
  public static List<Integer> free(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, was " + count);
    }
    List<ServerSocket> held = new ArrayList<>(count);
    try {
      List<Integer> ports = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket();
        held.add(socket);
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ports.add(socket.getLocalPort());
      }
      return List.copyOf(ports);
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // the port is released either way
        }
      }
    }
  }
}
