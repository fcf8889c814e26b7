package io.wharf.server.api;

import io.javalin.http.Context;
import io.wharf.server.registry.LabelSelector;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/** Parses and checks query parameters; a bad one is a 400 {@code malformed} naming it. */
public final class QueryParameters {
  public static final int DEFAULT_LIMIT = 500;
  public static final int MAX_LIMIT = 1000;
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private QueryParameters() {}

  /** The single value of {@code name}, null when absent; repeated parameters are rejected. */
  public static String single(Context ctx, String name) {
    List<String> values = ctx.queryParams(name);
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw ApiError.badParameter(name, "given " + values.size() + " times; give it once").failure();
    }
    return values.get(0);
  }

  public static int limit(Context ctx) {
    String raw = single(ctx, "limit");
    if (raw == null) {
      return DEFAULT_LIMIT;
    }
    long n;
    try {
      n = Long.parseLong(raw.strip());
    } catch (NumberFormatException e) {
      throw ApiError.badParameter("limit", "must be an integer from 1 to " + MAX_LIMIT + ", got \"" + raw + "\"").failure();
    }
    if (n < 1 || n > MAX_LIMIT) {
      throw ApiError.badParameter("limit", "must be from 1 to " + MAX_LIMIT + ", got " + n).failure();
    }
    return (int) n;
  }

  /** A non-negative revision; 0 when absent. */
  public static long revision(Context ctx, String name) {
    String raw = single(ctx, name);
    return raw == null ? 0 : revision(name, raw);
  }

  static long revision(String name, String raw) {
    try {
      long n = Long.parseLong(raw.strip());
      if (n < 0) {
        throw ApiError.badParameter(name, "must be a revision >= 0, got " + n).failure();
      }
      return n;
    } catch (NumberFormatException e) {
      throw ApiError.badParameter(name, "must be a revision (an integer >= 0), got \"" + raw + "\"").failure();
    }
  }

  public static LabelSelector labels(Context ctx) {
    String raw = single(ctx, "labels");
    try {
      return LabelSelector.parse(raw);
    } catch (LabelSelector.SyntaxError e) {
      throw ApiError.badParameter("labels", e.getMessage()).failure();
    }
  }

  /** The namespace filter, or null for all namespaces. */
  public static String namespace(Context ctx) {
    String raw = single(ctx, "namespace");
    if (raw == null) {
      return null;
    }
    return checkedName("namespace", raw, true);
  }

  /** The {@code node} filter (instances placed on that node), or null for every node. */
  public static String node(Context ctx) {
    String raw = single(ctx, "node");
    if (raw == null) {
      return null;
    }
    return checkedName("node", raw, true);
  }

  /** {@code value} when it is a valid name, else a 400 for parameter or path segment {@code what}. */
  public static String checkedName(String what, String value, boolean parameter) {
    if (DNS_LABEL.matcher(value).matches()) {
      return value;
    }
    String reason = "\"" + value + "\" is not a valid name (lowercase letters, digits and '-', at most 63)";
    throw (parameter ? ApiError.badParameter(what, reason) : ApiError.malformed(what + ": " + reason)).failure();
  }

  /** The key a {@code continue} token stands for; it must belong to the listing at {@code prefix}. */
  public static String continueAfter(Context ctx, String prefix) {
    String raw = single(ctx, "continue");
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    String key;
    try {
      key = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiError.badParameter("continue", "not a token this server issued").failure();
    }
    if (!key.startsWith(prefix) || key.length() == prefix.length()) {
      throw ApiError.badParameter("continue", "not a token this server issued for this listing").failure();
    }
    return key;
  }

  public static String continueToken(String key) {
    return key == null ? null
        : Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
  }
}
