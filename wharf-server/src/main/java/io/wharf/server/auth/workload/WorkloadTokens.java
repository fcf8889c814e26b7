package io.wharf.server.auth.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.server.auth.Principal;
import io.wharf.server.auth.jwt.JwtAuthenticator;
import io.wharf.server.auth.jwt.SignedTokens;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.server.registry.StoredObject;
import java.time.Duration;
import java.util.Optional;

/**
 * Workload identity: the token an instance runs with, for its owner's service principal
 * ({@code service:<namespace>/<service or job>}), signed like every Wharf token and tied to the
 * instance ({@link SignedTokens#INSTANCE_CLAIM}). Only the node agent of the node an instance is
 * placed on may ask for it; the agent refreshes it at 2/3 of its {@link #LIFETIME}. A token stops
 * working the moment its instance is deleted or ends ({@link #active}, the
 * {@link JwtAuthenticator.ActiveInstances} of the JWT authenticator), without waiting for expiry.
 * Thread-safe; reads the instance from the store each time.
 */
public final class WorkloadTokens implements JwtAuthenticator.ActiveInstances {
  public static final Duration LIFETIME = Duration.ofHours(1);

  private final ResourceRegistry registry;
  private final SignedTokens tokens;

  /** What a request for an instance's token came to. */
  public sealed interface Outcome permits Granted, NotFound, Forbidden, Ended {}

  public record Granted(Principal principal, SignedTokens.Issued token) implements Outcome {}

  public record NotFound() implements Outcome {}

  /** The caller is not the agent of the instance's node. */
  public record Forbidden(String reason) implements Outcome {}

  /** The instance has stopped, completed, failed or was rejected by its node: no new token. */
  public record Ended(String state) implements Outcome {}

  public WorkloadTokens(ResourceRegistry registry, SignedTokens tokens) {
    this.registry = registry;
    this.tokens = tokens;
  }

  /** A token for instance {@code namespace/name}, asked by {@code caller}. */
  public Outcome issue(Principal caller, String namespace, String name) {
    if (caller.kind() != Principal.Kind.NODE) {
      // Before the lookup: a caller that may never have a token does not learn which instances exist.
      return new Forbidden("only the agent of the instance's node may ask for its token");
    }
    Optional<StoredObject> found = registry.get(ResourceType.INSTANCE, namespace, name);
    if (found.isEmpty()) {
      return new NotFound();
    }
    JsonNode instance = found.get().object();
    String node = instance.path("spec").path("node").asText("");
    if (!caller.name().equals(node)) {
      return new Forbidden("instance " + namespace + "/" + name + " is not placed on node " + caller.name());
    }
    String state = instance.path("status").path("state").asText("pending");
    if (terminal(state)) {
      return new Ended(state);
    }
    Principal service = owner(namespace, instance);
    return new Granted(service, tokens.issue(service, LIFETIME, namespace + "/" + name));
  }

  /** The service principal an instance acts as: its owner (service or job) in its namespace. */
  static Principal owner(String namespace, JsonNode instance) {
    String owner = instance.path("spec").path("owner").path("name").asText("");
    if (owner.isEmpty()) {
      owner = instance.path("metadata").path("name").asText();
    }
    return Principal.service(namespace, owner);
  }

  private static boolean terminal(String state) {
    return state.equals("stopped") || state.equals("completed") || state.equals("failed") || state.equals("rejected");
  }

  @Override
  public boolean active(String namespace, String instance, Principal service) {
    Optional<StoredObject> found;
    try {
      found = registry.get(ResourceType.INSTANCE, namespace, instance);
    } catch (IllegalArgumentException badName) {
      return false;
    }
    if (found.isEmpty()) {
      return false;
    }
    JsonNode object = found.get().object();
    return !terminal(object.path("status").path("state").asText("pending"))
        && owner(namespace, object).equals(service);
  }
}
