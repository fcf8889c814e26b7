package io.wharf.server.auth.policy;

import java.util.List;
import java.util.Optional;

/**
 * The roles every cluster has:
 * <ul>
 *   <li>{@code admin}: every verb on every kind everywhere.</li>
 *   <li>{@code viewer}: get, list and watch of every kind everywhere; no reveal (a secret's value
 *       stays hidden) and no exec.</li>
 *   <li>{@code node}: what an agent needs — read everything (its assignments, services, configs,
 *       nodes, endpoints), register and heartbeat Nodes, write Instance status, and reveal Secrets.
 *       First version: cluster-wide, not limited to the node's own instances (docs/api.md).</li>
 * </ul>
 * A NODE principal holds {@code node} whatever else it was granted.
 */
public final class BuiltInRoles {
  public static final String ADMIN = "admin";
  public static final String VIEWER = "viewer";
  public static final String NODE = "node";

  private static final List<String> READ = List.of("get", "list", "watch");

  public static final List<Role> ALL = List.of(
      new Role(ADMIN, List.of(Rule.of("*", List.of("*"), List.of("*"))), true),
      new Role(VIEWER, List.of(Rule.of("*", List.of("*"), READ)), true),
      new Role(NODE, List.of(
          Rule.of("*", List.of("*"), READ),
          Rule.of("*", List.of("Node"), List.of("create", "update")),
          Rule.of("*", List.of("Instance"), List.of("update")),
          Rule.of("*", List.of("Secret"), List.of("reveal"))), true));

  private BuiltInRoles() {
  }

  public static Optional<Role> byName(String name) {
    return ALL.stream().filter(r -> r.name().equals(name)).findFirst();
  }
}
