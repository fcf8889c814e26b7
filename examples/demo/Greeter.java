// The demo's backend: answers GET /greet?name=N with a greeting, and GET /healthz with "ok".
// Run by Wharf's process driver as `java examples/demo/Greeter.java` (single-file source).
// Listens on 127.0.0.1:$PORT (Wharf sets PORT to the task's first port).

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

public class Greeter {
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "18081"));
        String instance = System.getenv().getOrDefault("WHARF_INSTANCE_NAME", "greeter");
        AtomicLong served = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/healthz", exchange -> send(exchange, 200, "ok\n"));
        server.createContext("/greet", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            String name = "world";
            if (query != null && query.startsWith("name=")) {
                name = URLDecoder.decode(query.substring(5), StandardCharsets.UTF_8);
            }
            long n = served.incrementAndGet();
            System.out.println("greeted " + name + " (request " + n + ")");
            send(exchange, 200, "Hello, " + name + "! (from " + instance + ", request " + n + ")\n");
        });
        server.start();
        System.out.println("greeter " + instance + " listening on 127.0.0.1:" + port);
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
