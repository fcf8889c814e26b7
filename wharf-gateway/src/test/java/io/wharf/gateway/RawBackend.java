package io.wharf.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP/1.1 upstream on a loopback socket that answers with exactly the bytes a test scripts,
 * so tests can send what a library server would not (close-delimited bodies, odd headers, a
 * half-sent answer). Each connection is served on a virtual thread: requests are read one by one
 * (head, then a Content-Length body) and handed to the script, which writes the answer and says
 * whether the connection stays open. Records every request head and body it read.
 */
final class RawBackend implements AutoCloseable {
  /** Writes the answer to {@code request}; returns false to close the connection after it. */
  interface Script {
    boolean answer(Request request, OutputStream out) throws Exception;
  }

  /** One request as it arrived: its head (request line and headers, CRLFs kept) and body. */
  record Request(String head, byte[] body) {
    String path() {
      return head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
    }

    /** The first value of header {@code name} (case ignored), or null. */
    String header(String name) {
      Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + ":[ \\t]*([^\\r\\n]*)").matcher(head);
      return m.find() ? m.group(1) : null;
    }
  }

  final int port;
  final AtomicInteger connections = new AtomicInteger();
  final AtomicInteger closedConnections = new AtomicInteger();
  final List<Request> requests = new CopyOnWriteArrayList<>();
  private final ServerSocket server;
  private final Script script;

  RawBackend(Script script) throws IOException {
    this.script = script;
    this.server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
    this.port = server.getLocalPort();
    Thread.ofVirtual().start(this::accept);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        connections.incrementAndGet();
        Thread.ofVirtual().start(() -> serve(s));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        String length = new Request(head, null).header("content-length");
        byte[] body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length.trim()));
        Request r = new Request(head, body);
        requests.add(r);
        if (!script.answer(r, out)) {
          return;
        }
        out.flush();
      }
    } catch (Exception e) {
      // the gateway closed the connection, or a script gave up: the connection ends
    } finally {
      closedConnections.incrementAndGet();
    }
  }

  /** The request head up to its empty line, or null at the end of the stream. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    int c;
    while ((c = in.read()) >= 0) {
      head.write(c);
      matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
      if (matched == 4) {
        return head.toString(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  /** A complete answer with a Content-Length body. */
  static byte[] answer(int status, String body, String... headers) {
    StringBuilder b = new StringBuilder("HTTP/1.1 ").append(status).append(" X\r\n");
    for (String h : headers) {
      b.append(h).append("\r\n");
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    b.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
    return (b + body).getBytes(StandardCharsets.UTF_8);
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
