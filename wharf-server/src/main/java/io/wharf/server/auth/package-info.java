/**
 * Who is calling and what they may do: principals, the authenticators that prove them, and the
 * exceptions the one authentication and authorisation seam ({@code api.AuthSeam}) turns into 401
 * and 403. Rules and roles are in {@code auth.policy} (pure), stored principals, roles and API
 * tokens in {@code auth.identity}.
 */
package io.wharf.server.auth;
