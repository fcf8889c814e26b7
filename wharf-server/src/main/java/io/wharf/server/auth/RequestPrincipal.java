package io.wharf.server.auth;

import io.javalin.http.Context;

/** The authenticated principal of an API request, set once by the authentication seam. */
public final class RequestPrincipal {
  private static final String ATTRIBUTE = "wharf.principal";

  private RequestPrincipal() {
  }

  public static void set(Context ctx, Principal principal) {
    ctx.attribute(ATTRIBUTE, principal);
  }

  /** The request's principal; {@link Principal#ANONYMOUS} before (or without) authentication. */
  public static Principal of(Context ctx) {
    Principal p = ctx.attribute(ATTRIBUTE);
    return p == null ? Principal.ANONYMOUS : p;
  }
}
