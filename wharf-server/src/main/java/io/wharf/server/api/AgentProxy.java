package io.wharf.server.api;

import io.javalin.http.Context;
import io.wharf.server.auth.RequestPrincipal;
import io.wharf.server.auth.jwt.AgentCallTokens;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.server.registry.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Logs and exec of an instance, proxied to the agent of its node at {@code status.agentAddress}
 * with java.net.http. Logs are streamed chunk by chunk (so {@code follow=true} stays open as long
 * as the agent's response does); the agent's status and body pass through. An unknown instance
 * or node is 404; an agent without an address or that cannot be reached is 502
 * {@code agent_unreachable}; an agent that refuses the server's token (401/403) is 502
 * {@code agent_refused} with the agent's reason. Every proxied call carries a fresh {@link AgentCallTokens} token
 * (Authorization: Bearer) naming the caller, the node, the instance and the action: the agent
 * refuses calls without one.
 *
 * <p>Thread model: each proxied call runs on its request's virtual thread and blocks on the agent.
 */
final class AgentProxy {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
  private final ResourceRegistry registry;
  private final AgentCallTokens tokens;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

  AgentProxy(ResourceRegistry registry, AgentCallTokens tokens) {
    this.registry = registry;
    this.tokens = tokens;
  }

  /** The agent of an instance's node: its address and the node's name (the token's audience). */
  private record Agent(URI address, String node) {}

  void logs(Context ctx) throws IOException, InterruptedException {
    String ns = QueryParameters.checkedName("namespace", ctx.pathParam("ns"), false);
    String name = QueryParameters.checkedName("name", ctx.pathParam("name"), false);
    Agent agent = agentOf(ns, name);
    StringBuilder query = new StringBuilder();
    for (String p : List.of("task", "since", "follow")) {
      String v = QueryParameters.single(ctx, p);
      if (v != null) {
        query.append(query.isEmpty() ? "?" : "&").append(p).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
      }
    }
    URI target = agent.address().resolve("/v1/agent/instances/" + ns + "/" + name + "/logs" + query);
    HttpResponse<InputStream> response = send(HttpRequest.newBuilder(target)
        .header("Authorization", bearer(ctx, agent, ns, name, AgentCallTokens.Action.LOGS)).GET());
    relay(ctx, agent, response);
  }

  void exec(Context ctx) throws IOException, InterruptedException {
    String ns = QueryParameters.checkedName("namespace", ctx.pathParam("ns"), false);
    String name = QueryParameters.checkedName("name", ctx.pathParam("name"), false);
    Agent agent = agentOf(ns, name);
    byte[] body = ctx.bodyAsBytes();
    URI target = agent.address().resolve("/v1/agent/instances/" + ns + "/" + name + "/exec");
    HttpResponse<InputStream> response = send(HttpRequest.newBuilder(target)
        .header("Authorization", bearer(ctx, agent, ns, name, AgentCallTokens.Action.EXEC))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    relay(ctx, agent, response);
  }

  private String bearer(Context ctx, Agent agent, String ns, String name, AgentCallTokens.Action action) {
    return "Bearer " + tokens.issue(RequestPrincipal.of(ctx), agent.node(), ns, name, action);
  }

  private Agent agentOf(String ns, String name) {
    StoredObject instance = registry.get(ResourceType.INSTANCE, ns, name)
        .orElseThrow(() -> ApiError.notFound("Instance \"" + ns + "/" + name + "\" not found").failure());
    String node = instance.object().path("spec").path("node").asText("");
    StoredObject nodeObject = registry.get(ResourceType.NODE, null, node)
        .orElseThrow(() -> ApiError.notFound("Node \"" + node + "\" of instance \"" + ns + "/" + name
            + "\" is not registered").failure());
    String address = nodeObject.object().path("status").path("agentAddress").asText("");
    if (address.isEmpty()) {
      throw unreachable("node \"" + node + "\" has no agent address").failure();
    }
    try {
      URI uri = URI.create(address);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException("not an absolute http URL");
      }
      return new Agent(uri, node);
    } catch (IllegalArgumentException e) {
      throw unreachable("node \"" + node + "\" has a bad agent address \"" + address + "\"").failure();
    }
  }

  private HttpResponse<InputStream> send(HttpRequest.Builder request) throws InterruptedException {
    HttpRequest built = request.build();
    try {
      return http.send(built, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw unreachable("agent at " + built.uri().getHost() + ":" + built.uri().getPort() + " cannot be reached: "
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage())).failure();
    }
  }

  private static void relay(Context ctx, Agent agent, HttpResponse<InputStream> response) throws IOException {
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      // The agent refused the server's token, not the caller's: passing 401 on would tell the
      // caller their own credentials are wrong.
      String reason;
      try (InputStream in = response.body()) {
        reason = JSON.readTree(in.readNBytes(64 * 1024)).path("error").path("message").asText("HTTP "
            + response.statusCode());
      } catch (IOException | RuntimeException e) {
        reason = "HTTP " + response.statusCode();
      }
      throw new ApiError(502, "agent_refused", "the agent of node \"" + agent.node()
          + "\" refused the server's call: " + reason, List.of()).failure();
    }
    ctx.attribute(ErrorResponses.RENDERED, true);
    var res = ctx.res();
    res.setStatus(response.statusCode());
    res.setContentType(response.headers().firstValue("Content-Type").orElse("application/octet-stream"));
    res.setHeader("Cache-Control", "no-cache");
    OutputStream out = res.getOutputStream();
    try (InputStream in = response.body()) {
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        if (in.available() == 0) {
          out.flush();
        }
      }
      out.flush();
    }
  }

  private static ApiError unreachable(String message) {
    return new ApiError(502, "agent_unreachable", message, List.of());
  }
}
