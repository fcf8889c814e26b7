package io.wharf.testkit.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoopbackProxyTest {
  private ServerSocket echo;

  @BeforeEach
  void startEchoServer() throws IOException {
    echo = new ServerSocket();
    echo.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread.ofVirtual().start(() -> {
      while (!echo.isClosed()) {
        try {
          Socket s = echo.accept();
          Thread.ofVirtual().start(() -> {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
              in.transferTo(out);
            } catch (IOException ignored) {
              // client went away
            }
          });
        } catch (IOException e) {
          return;
        }
      }
    });
  }

  @AfterEach
  void stopEchoServer() throws IOException {
    echo.close();
  }

  @Test
  void forwardsBytesBothWays() throws IOException {
    try (LoopbackProxy proxy = new LoopbackProxy(echo.getLocalPort());
        Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      assertThat(roundTrip(client, "hello")).isEqualTo("hello");
      assertThat(proxy.httpEndpoint()).isEqualTo("http://127.0.0.1:" + proxy.port());
    }
  }

  @Test
  void cutDropsOpenConnectionsAndRefusesNewOnesUntilRestored() throws IOException {
    try (LoopbackProxy proxy = new LoopbackProxy(echo.getLocalPort());
        Socket before = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      assertThat(roundTrip(before, "one")).isEqualTo("one");

      proxy.cut();

      assertThatThrownBy(() -> roundTrip(before, "lost")).isInstanceOf(IOException.class);
      try (Socket during = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
        assertThatThrownBy(() -> roundTrip(during, "two")).isInstanceOf(IOException.class);
      }

      proxy.restore();

      try (Socket after = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
        assertThat(roundTrip(after, "three")).isEqualTo("three");
      }
    }
  }

  private static String roundTrip(Socket socket, String text) throws IOException {
    byte[] sent = text.getBytes(StandardCharsets.UTF_8);
    socket.getOutputStream().write(sent);
    socket.getOutputStream().flush();
    byte[] received = socket.getInputStream().readNBytes(sent.length);
    if (received.length < sent.length) {
      throw new IOException("connection closed after " + received.length + " bytes");
    }
    return new String(received, StandardCharsets.UTF_8);
  }
}
