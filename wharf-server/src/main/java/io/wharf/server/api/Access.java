package io.wharf.server.api;

import io.javalin.http.Context;
import io.wharf.server.auth.policy.Permission;
import io.wharf.server.auth.policy.Verb;
import io.wharf.server.registry.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * What a route needs before its handler runs, as declared in {@link ApiServer}'s route table:
 * nothing ({@link Anonymous}), any authenticated principal ({@link Authenticated}), the
 * permissions a request resolves to ({@link Require}), or permissions its handler can only know
 * after reading the body ({@link PerObject}: the stack routes check every object of the stack
 * through {@link AuthSeam#require}). A route with no declared access is denied.
 */
sealed interface Access {
  /** How the route table and docs/api.md show it, e.g. {@code list {plural} in {ns}}. */
  String describe();

  record Anonymous() implements Access {
    @Override
    public String describe() {
      return "anonymous";
    }
  }

  record Authenticated() implements Access {
    @Override
    public String describe() {
      return "any authenticated principal";
    }
  }

  record Require(String describe, Function<Context, List<Permission>> needs) implements Access {}

  record PerObject(String describe) implements Access {}

  /** Where a permission's namespace comes from. */
  enum Scope {
    /** A cluster-scoped kind: only a {@code *} namespace pattern covers it. */
    CLUSTER,
    /** The {@code {ns}} path segment. */
    PATH,
    /** The {@code namespace} query parameter; absent means every namespace. */
    QUERY
  }

  static Access anonymous() {
    return new Anonymous();
  }

  static Access authenticated() {
    return new Authenticated();
  }

  /** {@code verb} on a fixed kind. */
  static Access of(Verb verb, String kind, Scope scope) {
    return new Require(verb.wire() + " " + kind + where(scope), ctx -> List.of(new Permission(verb, kind, namespace(ctx, scope))));
  }

  /**
   * {@code verb} on the kind named by the {@code {plural}} path segment; a cluster-scoped kind
   * never has a namespace. An unknown plural needs nothing more (the handler answers 404).
   */
  static Access ofPath(Verb verb, Scope scope) {
    return new Require(verb.wire() + " {plural}" + where(scope), ctx -> {
      var type = ResourceType.byPlural(ctx.pathParam("plural"));
      if (type.isEmpty()) {
        return List.of();
      }
      return List.of(new Permission(verb, type.get().kind(), type.get().clusterScoped() ? null : namespace(ctx, scope)));
    });
  }

  /** {@code watch} on every kind of the {@code kinds} query parameter ({@code *} when absent). */
  static Access watch() {
    return new Require("watch {kinds} in ?namespace", ctx -> {
      String ns = namespace(ctx, Scope.QUERY);
      String kinds = ctx.queryParam("kinds");
      if (kinds == null || kinds.isBlank()) {
        return List.of(new Permission(Verb.WATCH, "*", ns));
      }
      List<Permission> out = new ArrayList<>();
      for (String plural : kinds.split(",")) {
        ResourceType.byPlural(plural.strip().toLowerCase(Locale.ROOT)).ifPresent(t ->
            out.add(new Permission(Verb.WATCH, t.kind(), t.clusterScoped() ? null : ns)));
      }
      return out;
    });
  }

  static Access perObject(String describe) {
    return new PerObject(describe);
  }

  private static String where(Scope scope) {
    return switch (scope) {
      case CLUSTER -> " (cluster)";
      case PATH -> " in {ns}";
      case QUERY -> " in ?namespace (all when absent)";
    };
  }

  private static String namespace(Context ctx, Scope scope) {
    return switch (scope) {
      case CLUSTER -> null;
      case PATH -> ctx.pathParam("ns");
      case QUERY -> {
        String ns = ctx.queryParam("namespace");
        yield ns == null || ns.isBlank() ? null : ns;
      }
    };
  }
}
