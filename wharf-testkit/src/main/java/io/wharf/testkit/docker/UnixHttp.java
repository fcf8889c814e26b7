package io.wharf.testkit.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Just enough HTTP/1.0 over a Unix socket to ping a daemon and upload an image: the fixture
 * must work before (and without) any Docker client library.
 */
final class UnixHttp {
    record Response(int status, String body) {}

    private UnixHttp() {}

    static Response get(Path socket, String path) throws IOException {
        return send(socket, "GET", path, null);
    }

    /** POSTs the file {@code body} as {@code application/x-tar}. */
    static Response postFile(Path socket, String path, Path body) throws IOException {
        return send(socket, "POST", path, body);
    }

    private static Response send(Path socket, String method, String path, Path body) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            var head = new StringBuilder().append(method).append(' ').append(path).append(" HTTP/1.0\r\n")
                    .append("Host: docker\r\n");
            if (body != null) {
                head.append("Content-Type: application/x-tar\r\nContent-Length: ").append(Files.size(body)).append("\r\n");
            }
            head.append("\r\n");
            write(ch, head.toString().getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                try (InputStream in = Files.newInputStream(body)) {
                    byte[] buf = new byte[1 << 16];
                    int n;
                    while ((n = in.read(buf)) > 0) write(ch, java.util.Arrays.copyOf(buf, n));
                }
            }
            var out = new ByteArrayOutputStream();
            Channels.newInputStream(ch).transferTo(out);
            String text = out.toString(StandardCharsets.UTF_8);
            int lineEnd = text.indexOf("\r\n");
            if (lineEnd < 0) throw new IOException("no HTTP answer from " + socket);
            int status = Integer.parseInt(text.substring(0, lineEnd).split(" ")[1]);
            int bodyStart = text.indexOf("\r\n\r\n");
            return new Response(status, bodyStart < 0 ? "" : text.substring(bodyStart + 4));
        }
    }

    private static void write(SocketChannel ch, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) ch.write(b);
    }
}
