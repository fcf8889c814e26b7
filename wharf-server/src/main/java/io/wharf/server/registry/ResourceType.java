package io.wharf.server.registry;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the API addresses one kind: its path segment ({@code plural}), whether it lives in a
 * namespace, and whether clients may write it. The table is the API contract of docs/api.md.
 */
public record ResourceType(String kind, String plural, boolean clusterScoped, boolean readOnly) {

  public ResourceType {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(plural, "plural");
  }

  public static final ResourceType NAMESPACE = new ResourceType("Namespace", "namespaces", true, false);
  public static final ResourceType STACK = new ResourceType("Stack", "stacks", false, false);
  public static final ResourceType SERVICE = new ResourceType("Service", "services", false, false);
  public static final ResourceType JOB = new ResourceType("Job", "jobs", false, false);
  public static final ResourceType CRON_JOB = new ResourceType("CronJob", "cronjobs", false, false);
  public static final ResourceType ROUTE = new ResourceType("Route", "routes", false, false);
  public static final ResourceType CONFIG = new ResourceType("Config", "configs", false, false);
  public static final ResourceType SECRET = new ResourceType("Secret", "secrets", false, false);
  /** External endpoints of services (discovery entries for things outside the cluster). */
  public static final ResourceType ENDPOINT = new ResourceType("Endpoint", "endpoints", false, false);
  public static final ResourceType NODE = new ResourceType("Node", "nodes", true, false);
  public static final ResourceType INSTANCE = new ResourceType("Instance", "instances", false, false);
  /** Events are written only by the server, in the transaction of the change they record. */
  public static final ResourceType EVENT = new ResourceType("Event", "events", false, true);

  public static final List<ResourceType> ALL = List.of(NAMESPACE, STACK, SERVICE, JOB, CRON_JOB,
      ROUTE, CONFIG, SECRET, ENDPOINT, NODE, INSTANCE, EVENT);

  public static Optional<ResourceType> byPlural(String plural) {
    return ALL.stream().filter(t -> t.plural.equals(plural)).findFirst();
  }

  public static Optional<ResourceType> byKind(String kind) {
    return ALL.stream().filter(t -> t.kind.equals(kind)).findFirst();
  }

  /** The kind name of a list of this type, e.g. {@code ServiceList}. */
  public String listKind() {
    return kind + "List";
  }
}
