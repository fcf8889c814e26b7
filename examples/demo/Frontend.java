// The demo's front end: GET / calls the greeter at $GREETER_URL and shows its answer in a page;
// GET /healthz answers "ok". Run by Wharf's process driver as `java examples/demo/Frontend.java`.
// Listens on 127.0.0.1:$PORT (Wharf sets PORT to the task's first port).

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;

public class Frontend {
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "18080"));
        String greeter = System.getenv("GREETER_URL");
        if (greeter == null) {
            // Wharf sets it because the frontend dependsOn the greeter (its node's ambassador).
            System.err.println("GREETER_URL is not set: run the frontend through Wharf with dependsOn: [greeter]");
            System.exit(2);
        }
        String instance = System.getenv().getOrDefault("WHARF_INSTANCE_NAME", "frontend");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/healthz", exchange -> send(exchange, 200, "text/plain", "ok\n"));
        server.createContext("/", exchange -> {
            if (!exchange.getRequestURI().getPath().equals("/")) {
                send(exchange, 404, "text/plain", "not found\n");
                return;
            }
            String greeting;
            int status = 200;
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(greeter + "/greet?name=visitor"))
                        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
                greeting = answer.body().strip();
            } catch (IOException | InterruptedException e) {
                greeting = "the greeter at " + greeter + " did not answer: " + e;
                status = 502;
            }
            System.out.println("served / with: " + greeting);
            send(exchange, status, "text/html; charset=utf-8", "<!doctype html>\n<title>Wharf demo</title>\n"
                    + "<h1>Wharf demo</h1>\n<p>The greeter says: <b>" + greeting + "</b></p>\n"
                    + "<p>Served by " + instance + ".</p>\n");
        });
        server.start();
        System.out.println("frontend " + instance + " listening on 127.0.0.1:" + port + ", greeter at " + greeter);
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
