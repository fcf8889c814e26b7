package io.wharf.server.auth;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who is making a call: a person ({@link Kind#USER}), a workload ({@link Kind#SERVICE}, named
 * {@code namespace/service}), a node agent ({@link Kind#NODE}), or nobody ({@link #ANONYMOUS},
 * which may only read health and version). Policies, tokens and audit entries name principals
 * by {@link #id()}: {@code user:alice}, {@code service:default/web}, {@code node:node-1}.
 */
public record Principal(Kind kind, String name) {
  public enum Kind { USER, SERVICE, NODE, ANONYMOUS }

  public static final Principal ANONYMOUS = new Principal(Kind.ANONYMOUS, "anonymous");
  private static final Pattern ID = Pattern.compile("(user|service|node):(.+)");

  public Principal {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a principal needs a name");
    }
  }

  public static Principal user(String name) {
    return new Principal(Kind.USER, name);
  }

  public static Principal service(String namespace, String name) {
    return new Principal(Kind.SERVICE, namespace + "/" + name);
  }

  public static Principal node(String name) {
    return new Principal(Kind.NODE, name);
  }

  /** {@code user:alice}, {@code service:default/web}, {@code node:node-1}, {@code anonymous}. */
  public String id() {
    return kind == Kind.ANONYMOUS ? "anonymous" : kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + name;
  }

  /** The inverse of {@link #id()}; empty for anything else. */
  public static java.util.Optional<Principal> parse(String id) {
    if ("anonymous".equals(id)) {
      return java.util.Optional.of(ANONYMOUS);
    }
    var m = ID.matcher(id == null ? "" : id);
    if (!m.matches()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new Principal(Kind.valueOf(m.group(1).toUpperCase(java.util.Locale.ROOT)), m.group(2)));
  }

  public boolean anonymous() {
    return kind == Kind.ANONYMOUS;
  }

  @Override
  public String toString() {
    return id();
  }
}
