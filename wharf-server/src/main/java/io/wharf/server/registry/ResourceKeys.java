package io.wharf.server.registry;

import java.util.Optional;

/**
 * The store key layout of resources. Everything a client can read lives under
 * {@value #ROOT}, so one store watch on that prefix sees every change:
 * <ul>
 *   <li>{@code /wharf/r/{plural}/{namespace}/{name}} for namespaced kinds,</li>
 *   <li>{@code /wharf/r/{plural}/{name}} for cluster-scoped kinds,</li>
 *   <li>{@code /wharf/r/events/{sequence}} for events, a zero-padded number so that keys list in
 *       the order the events were written (see {@link io.wharf.server.events.EventLog}).</li>
 * </ul>
 * Names and namespaces are validated DNS labels, so they never contain {@code /}.
 */
public final class ResourceKeys {
  public static final String ROOT = "/wharf/r/";

  private ResourceKeys() {}

  public static String key(ResourceType type, String namespace, String name) {
    return type.clusterScoped() || type == ResourceType.EVENT ? ROOT + type.plural() + "/" + name
        : ROOT + type.plural() + "/" + namespace + "/" + name;
  }

  /** The prefix of every object of {@code type}, or of those in {@code namespace} when non-null. */
  public static String prefix(ResourceType type, String namespace) {
    if (namespace == null || type.clusterScoped() || type == ResourceType.EVENT) {
      return ROOT + type.plural() + "/";
    }
    return ROOT + type.plural() + "/" + namespace + "/";
  }

  /** What a key under {@link #ROOT} addresses; namespace is null for cluster-scoped kinds and events. */
  public record Address(ResourceType type, String namespace, String name) {}

  public static Optional<Address> parse(String key) {
    if (!key.startsWith(ROOT)) {
      return Optional.empty();
    }
    String[] parts = key.substring(ROOT.length()).split("/", -1);
    Optional<ResourceType> type = ResourceType.byPlural(parts[0]);
    if (type.isEmpty()) {
      return Optional.empty();
    }
    ResourceType t = type.get();
    if ((t.clusterScoped() || t == ResourceType.EVENT) && parts.length == 2) {
      return Optional.of(new Address(t, null, parts[1]));
    }
    if (!t.clusterScoped() && parts.length == 3) {
      return Optional.of(new Address(t, parts[1], parts[2]));
    }
    return Optional.empty();
  }
}
