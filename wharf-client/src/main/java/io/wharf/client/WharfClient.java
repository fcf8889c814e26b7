package io.wharf.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.client.stack.Plan;
import io.wharf.client.stack.StackDeletion;
import io.wharf.client.watch.WatchListener;
import io.wharf.client.watch.WatchRequest;
import io.wharf.client.watch.WatchStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Speaks Wharf's HTTP API (docs/api.md) over {@link HttpClient} (HTTP/1.1).
 *
 * <p>Resources are addressed by the kind's plural path segment ({@code services}) and a
 * namespace; a null namespace addresses a cluster-scoped kind ({@code nodes}) or, for lists,
 * every namespace. Objects travel as Jackson trees in the API's envelope (kind, metadata,
 * spec, status).
 *
 * <p>Errors: a server error becomes {@link ApiException}; an unreachable server, a timeout or
 * an unreadable answer becomes {@link ClientException}.
 *
 * <p>Failover: with several server addresses ({@link ClientSettings#addresses()}) the client
 * talks to one at a time and moves to the next when it cannot connect, when the connection
 * breaks, or when the server answers 503 — retrying the call there when that is safe: always
 * when the request never reached a server (connection refused or timed out) or was refused with
 * 503, and for reads also after a broken connection. A write whose connection broke after it was
 * sent is not repeated (it may have been applied); the error reaches the caller. Watches
 * reconnect to the next server and resume from their last revision.
 *
 * <p>Thread safety: safe for use by many threads; one instance shares one connection pool.
 * Close it to release the pool and its threads (open watches are closed by their owners).
 */
public final class WharfClient implements AutoCloseable {

  public static final String JSON = "application/json";
  public static final String YAML = "application/yaml";

  private final ClientSettings settings;
  private final ExecutorService executor;
  private final HttpClient http;
  private final ObjectMapper json;
  private final java.util.concurrent.atomic.AtomicInteger current = new java.util.concurrent.atomic.AtomicInteger();

  public WharfClient(ClientSettings settings) {
    this(settings, new ObjectMapper());
  }

  public WharfClient(ClientSettings settings, ObjectMapper json) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.json = Objects.requireNonNull(json, "json");
    this.executor = Executors.newVirtualThreadPerTaskExecutor();
    HttpClient.Builder http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(settings.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(executor);
    if (settings.sslContext() != null) {
      http.sslContext(settings.sslContext());
    }
    this.http = http.build();
  }

  public ClientSettings settings() {
    return settings;
  }

  /** The server this client talks to now (it moves on when that one fails). */
  public URI baseUrl() {
    List<URI> all = settings.addresses();
    return all.get(Math.floorMod(current.get(), all.size()));
  }

  // ---- resources ----

  /** Reads one object; {@code namespace} null for cluster-scoped kinds. */
  public JsonNode get(String plural, String namespace, String name) {
    return call(request(objectPath(plural, namespace, name)).GET());
  }

  /**
   * A secret with its values ({@code GET /v1/namespaces/{ns}/secrets/{name}/value}, which needs
   * the verb {@code reveal} on kind Secret); every other read shows them redacted.
   */
  public JsonNode revealSecret(String namespace, String name) {
    return call(request(objectPath("secrets", namespace, name) + "/value").GET());
  }

  /**
   * A config ({@code GET .../configs/{name}/revisions/{revision}}) or secret with its values
   * ({@code .../secrets/{name}/revisions/{revision}/value}, verb {@code reveal}) as it was at a
   * revision a service's instance template took.
   */
  public JsonNode inputAt(boolean secret, String namespace, String name, long revision) {
    String path = objectPath(secret ? "secrets" : "configs", namespace, name) + "/revisions/" + revision;
    return call(request(secret ? path + "/value" : path).GET());
  }

  /**
   * Reloads the server's keyring and re-seals every secret with its active key
   * ({@code POST /v1/secrets/rotate-key}): activeKey, keys, resealed, unchanged.
   */
  public JsonNode rotateSecretKey() {
    return call(request("/v1/secrets/rotate-key").POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** One page of objects. */
  public ResourceList list(String plural, ListOptions options) {
    return list(plural, options, Map.of());
  }

  /** Every object, following {@code continue} tokens across pages. */
  public List<JsonNode> listAll(String plural, ListOptions options) {
    List<JsonNode> all = new ArrayList<>();
    ListOptions page = options.withContinue(null);
    while (true) {
      ResourceList list = list(plural, page);
      all.addAll(list.items());
      if (!list.hasMore()) {
        return all;
      }
      page = page.withContinue(list.continueToken());
    }
  }

  /**
   * The recorded events about one object ({@code involved=KIND/NAME}), oldest first as the
   * server lists them, across all pages.
   */
  public List<JsonNode> eventsAbout(String kind, String namespace, String name) {
    List<JsonNode> all = new ArrayList<>();
    ListOptions page = namespace == null ? ListOptions.ALL : ListOptions.inNamespace(namespace);
    while (true) {
      ResourceList list = list("events", page, Map.of("involved", kind + "/" + name));
      all.addAll(list.items());
      if (!list.hasMore()) {
        return all;
      }
      page = page.withContinue(list.continueToken());
    }
  }

  /** Creates an object; 409 {@code already_exists} when the name is taken. */
  public JsonNode create(String plural, String namespace, JsonNode object) {
    String path = namespace == null ? "/v1/" + segment(plural)
        : "/v1/namespaces/" + segment(namespace) + "/" + segment(plural);
    return call(request(path).header("Content-Type", JSON)
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(object))));
  }

  /**
   * Creates or replaces an object. When the body's {@code metadata.revision} is non-zero the
   * server replaces only if it still equals the stored one (409 {@code conflict} otherwise).
   */
  public JsonNode put(String plural, String namespace, String name, JsonNode object) {
    return call(request(objectPath(plural, namespace, name)).header("Content-Type", JSON)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes(object))));
  }

  /** Deletes unconditionally; returns the object's last state. */
  public JsonNode delete(String plural, String namespace, String name) {
    return delete(plural, namespace, name, 0);
  }

  /** Deletes when the stored revision equals {@code revision} (0: unconditionally). */
  public JsonNode delete(String plural, String namespace, String name, long revision) {
    String path = objectPath(plural, namespace, name);
    if (revision > 0) {
      path += "?revision=" + revision;
    }
    return call(request(path).DELETE());
  }

  // ---- stacks ----

  /** What applying the stack would change; changes nothing. */
  public Plan plan(String stackText, String contentType) {
    return Plan.fromJson(planJson(stackText, contentType));
  }

  /** {@link #plan} as the server's JSON, for printing it verbatim. */
  public JsonNode planJson(String stackText, String contentType) {
    return call(request("/v1/plan").header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(stackText, StandardCharsets.UTF_8)));
  }

  /**
   * Commits the stack's plan in one transaction. With {@code expectRevision} (a plan's
   * revision) the server refuses with 409 {@code conflict} when the stack's resources changed
   * since that plan.
   */
  public Plan apply(String stackText, String contentType, OptionalLong expectRevision) {
    String path = "/v1/apply";
    if (expectRevision.isPresent()) {
      path += "?expectRevision=" + expectRevision.getAsLong();
    }
    return Plan.fromJson(call(request(path).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(stackText, StandardCharsets.UTF_8))));
  }

  /**
   * Deletes what the stack file declares and the stack itself ({@code POST /v1/delete}): services
   * that depend on each other stop in reverse dependency order, the rest go at once.
   */
  public StackDeletion deleteStack(String stackText, String contentType) {
    return StackDeletion.fromJson(call(request("/v1/delete").header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(stackText, StandardCharsets.UTF_8))));
  }

  // ---- health, version ----

  public JsonNode health() {
    return call(request("/v1/health").GET());
  }

  public JsonNode version() {
    return call(request("/v1/version").GET());
  }

  /**
   * Who leads the servers ({@code GET /v1/cluster/leader}): {@code leader} (id, address, since,
   * revision; null while nobody does) and {@code server}, the answering server (id, leader).
   */
  public JsonNode leader() {
    return call(request("/v1/cluster/leader").GET());
  }

  /**
   * The servers sharing the store ({@code GET /v1/servers}): {@code servers} (id, addresses,
   * version, startedAt, lastHeartbeat, leader), {@code leader} (its id, or null), {@code server}
   * (the answering one's id) and {@code ttlSeconds}.
   */
  public JsonNode members() {
    return call(request("/v1/servers").GET());
  }

  // ---- watch ----

  /** Starts following changes; the returned stream delivers to {@code listener} until closed. */
  public WatchStream watch(WatchRequest watch, WatchListener listener) {
    return WatchStream.start((from, lastEventId) -> openWatch(watch, from, lastEventId),
        listener, json, watch.fromRevision(), settings.watchIdleTimeout());
  }

  private InputStream openWatch(WatchRequest watch, long from, long lastEventId)
      throws IOException {
    Map<String, String> query = new LinkedHashMap<>();
    if (!watch.kinds().isEmpty()) {
      query.put("kinds", String.join(",", watch.kinds()));
    }
    if (watch.namespace() != null) {
      query.put("namespace", watch.namespace());
    }
    if (watch.node() != null) {
      query.put("node", watch.node());
    }
    if (from > 0) {
      query.put("fromRevision", Long.toString(from));
    }
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri("/v1/watch" + queryString(query)))
        .header("Accept", "text/event-stream").GET();
    if (lastEventId > 0) {
      builder.header("Last-Event-ID", Long.toString(lastEventId));
    }
    HttpResponse<InputStream> response;
    try {
      response = send(builder, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while connecting the watch", e);
    }
    if (response.statusCode() != 200) {
      byte[] body;
      try (InputStream in = response.body()) {
        body = in.readNBytes(64 * 1024);
      }
      throw error(response.statusCode(), body);
    }
    return response.body();
  }

  // ---- plumbing ----

  ResourceList list(String plural, ListOptions options, Map<String, String> extraQuery) {
    Map<String, String> query = new LinkedHashMap<>();
    if (options.namespace() != null) {
      query.put("namespace", options.namespace());
    }
    if (!options.labels().isEmpty()) {
      query.put("labels", options.labelSelector());
    }
    if (options.limit() > 0) {
      query.put("limit", Integer.toString(options.limit()));
    }
    if (options.continueToken() != null) {
      query.put("continue", options.continueToken());
    }
    if (options.node() != null) {
      query.put("node", options.node());
    }
    query.putAll(extraQuery);
    JsonNode body = call(request("/v1/" + segment(plural) + queryString(query)).GET());
    List<JsonNode> items = new ArrayList<>();
    body.path("items").forEach(items::add);
    JsonNode next = body.get("continue");
    return new ResourceList(body.path("kind").asText(""), body.path("revision").asLong(), items,
        next == null || next.isNull() || next.asText().isEmpty() ? null : next.asText());
  }

  HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(uri(pathAndQuery))
        .timeout(settings.requestTimeout())
        .header("Accept", JSON);
  }

  URI uri(String pathAndQuery) {
    return URI.create(settings.baseUrl() + pathAndQuery);
  }

  /**
   * Sends to the current server, moving on to the next ones as the class comment says. The
   * builder's URI may name any of the servers (or another host, which gets no failover).
   */
  <T> HttpResponse<T> send(HttpRequest.Builder builder, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    if (settings.token() != null) {
      builder.setHeader("Authorization", "Bearer " + settings.token());
    }
    HttpRequest request = builder.build();
    List<URI> all = settings.addresses();
    String pathAndQuery = relativeToServer(request.uri());
    if (pathAndQuery == null || all.size() == 1) {
      return http.send(request, handler);
    }
    boolean read = request.method().equals("GET") || request.method().equals("HEAD");
    int start = current.get();
    IOException failure = null;
    HttpResponse<T> unavailable = null;
    for (int attempt = 0; attempt < all.size(); attempt++) {
      int index = start + attempt;
      URI target = URI.create(all.get(Math.floorMod(index, all.size())) + pathAndQuery);
      HttpResponse<T> response;
      try {
        response = http.send(builder.uri(target).build(), handler);
      } catch (HttpConnectTimeoutException | ConnectException e) {
        failure = e;
        moveOn(index);
        continue;
      } catch (HttpTimeoutException e) {
        throw e; // the server may be working on it: not repeated elsewhere
      } catch (IOException e) {
        moveOn(index);
        if (!read) {
          throw e;
        }
        failure = e;
        continue;
      }
      if (response.statusCode() != 503) {
        return response;
      }
      unavailable = response;
      moveOn(index);
      if (attempt < all.size() - 1 && response.body() instanceof InputStream in) {
        in.close();
      }
    }
    if (unavailable != null) {
      return unavailable;
    }
    throw failure;
  }

  /** The current server failed at {@code index}: the next call starts at the one after it. */
  private void moveOn(int index) {
    current.compareAndSet(index, index + 1);
  }

  /** The path and query of {@code uri} when it points at one of the servers, else null. */
  private String relativeToServer(URI uri) {
    String text = uri.toString();
    for (URI base : settings.addresses()) {
      String prefix = base.toString();
      if (text.startsWith(prefix) && (text.length() == prefix.length() || text.charAt(prefix.length()) == '/'
          || text.charAt(prefix.length()) == '?')) {
        return text.substring(prefix.length());
      }
    }
    return null;
  }

  private String servers() {
    return settings.addresses().size() == 1 ? "the Wharf server at " + baseUrl()
        : "any Wharf server (" + settings.addresses().stream().map(URI::toString)
            .collect(java.util.stream.Collectors.joining(", ")) + ")";
  }

  JsonNode call(HttpRequest.Builder builder) {
    HttpRequest request = builder.build();
    HttpResponse<byte[]> response;
    try {
      response = send(builder, HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpConnectTimeoutException e) {
      throw new ClientException("cannot reach " + servers()
          + ": connection timed out after " + settings.connectTimeout().toSeconds() + "s", e);
    } catch (HttpTimeoutException e) {
      throw new ClientException("the Wharf server at " + baseUrl() + " did not answer within "
          + settings.requestTimeout().toSeconds() + "s", e);
    } catch (ConnectException e) {
      throw new ClientException("cannot reach " + servers()
          + ": connection refused (is it running? set --addr or WHARF_ADDR)", e);
    } catch (javax.net.ssl.SSLException e) {
      throw tlsFailure(baseUrl().toString(), e);
    } catch (IOException e) {
      throw new ClientException("talking to the Wharf server at " + baseUrl() + " failed: "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientException("interrupted while waiting for the Wharf server", e);
    }
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      throw error(status, response.body());
    }
    try {
      return json.readTree(response.body());
    } catch (IOException e) {
      throw new ClientException("the Wharf server at " + baseUrl() + " answered "
          + request.method() + " " + request.uri().getPath() + " with something that is not JSON",
          e);
    }
  }

  /**
   * A failed TLS handshake, said plainly: an untrusted server certificate (wrong CA, or none
   * given for a self-signed cluster) reads "server certificate not trusted: ..."; a host name the
   * certificate does not name says so too.
   */
  static ClientException tlsFailure(String server, javax.net.ssl.SSLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.security.cert.CertificateException) {
        String why = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (why.contains("PKIX path")) {
          why = "it is not signed by the trusted CA (give the cluster's CA with --ca-cert, WHARF_CACERT or "
              + "\"caCertificate\" in credentials.json)";
        }
        return new ClientException("server certificate not trusted: " + server + ": " + why, e);
      }
    }
    return new ClientException("TLS with the Wharf server at " + server + " failed: "
        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
  }

  /**
   * Sends a request whose answer is read as a stream (no request timeout: a followed log stays
   * open); a non-2xx answer becomes {@link ApiException}.
   */
  InputStream stream(HttpRequest request) {
    HttpResponse<InputStream> response;
    try {
      response = send(HttpRequest.newBuilder(request, (name, value) -> true), HttpResponse.BodyHandlers.ofInputStream());
    } catch (ConnectException e) {
      throw new ClientException("cannot reach " + request.uri().getHost() + ":"
          + request.uri().getPort() + ": connection refused", e);
    } catch (javax.net.ssl.SSLException e) {
      throw tlsFailure(request.uri().getHost() + ":" + request.uri().getPort(), e);
    } catch (IOException e) {
      throw new ClientException("talking to " + request.uri().getHost() + ":"
          + request.uri().getPort() + " failed: "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientException("interrupted while waiting for " + request.uri(), e);
    }
    if (response.statusCode() < 200 || response.statusCode() > 299) {
      byte[] body;
      try (InputStream in = response.body()) {
        body = in.readNBytes(64 * 1024);
      } catch (IOException e) {
        body = new byte[0];
      }
      throw error(response.statusCode(), body);
    }
    return response.body();
  }

  /** Turns an error answer into {@link ApiException}, tolerating bodies that are not ours. */
  ApiException error(int status, byte[] body) {
    JsonNode error = null;
    try {
      JsonNode root = json.readTree(body);
      error = root == null ? null : root.get("error");
    } catch (IOException ignored) {
      // not the API's error shape: described from the status below
    }
    if (error == null || !error.isObject()) {
      String text = new String(body, StandardCharsets.UTF_8).strip();
      if (text.length() > 200) {
        text = text.substring(0, 200) + "...";
      }
      return new ApiException(status, codeFor(status),
          text.isEmpty() ? "HTTP " + status : "HTTP " + status + ": " + text, List.of());
    }
    List<ApiProblem> problems = new ArrayList<>();
    for (JsonNode p : error.path("problems")) {
      problems.add(new ApiProblem(p.path("path").asText(""), p.path("reason").asText("")));
    }
    return new ApiException(status, error.path("code").asText(codeFor(status)),
        error.path("message").asText("HTTP " + status), problems);
  }

  private static String codeFor(int status) {
    return switch (status) {
      case 400 -> "malformed";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 409 -> "conflict";
      case 410 -> "compacted";
      case 413 -> "too_large";
      case 415 -> "unsupported_media_type";
      case 422 -> "invalid";
      case 503 -> "unavailable";
      default -> "http_" + status;
    };
  }

  byte[] bytes(JsonNode object) {
    try {
      return json.writeValueAsBytes(object);
    } catch (IOException e) {
      throw new ClientException("cannot encode the request body: " + e.getMessage(), e);
    }
  }

  private static String objectPath(String plural, String namespace, String name) {
    Objects.requireNonNull(name, "name");
    return namespace == null
        ? "/v1/" + segment(plural) + "/" + segment(name)
        : "/v1/namespaces/" + segment(namespace) + "/" + segment(plural) + "/" + segment(name);
  }

  static String segment(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty path segment");
    }
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String queryString(Map<String, String> query) {
    if (query.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder("?");
    query.forEach((k, v) -> {
      if (out.length() > 1) {
        out.append('&');
      }
      out.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
    });
    return out.toString();
  }

  /** A body for writes: the given object (not copied), for callers building one by hand. */
  public ObjectNode newObject() {
    return json.createObjectNode();
  }

  public ObjectMapper json() {
    return json;
  }

  /** Aborts calls still in flight (a watch's open stream among them) and stops the threads. */
  @Override
  public void close() {
    http.shutdownNow();
    executor.shutdownNow();
  }
}
