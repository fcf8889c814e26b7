/**
 * Wharf's signed tokens: ES256 signing keys in the store with key ids and rotation
 * ({@link io.wharf.server.auth.jwt.SigningKeys}, also the JWKS document), issuing
 * ({@link io.wharf.server.auth.jwt.SignedTokens}) and the JWT authenticator that proves callers by
 * them ({@link io.wharf.server.auth.jwt.JwtAuthenticator}: algorithm pinned, {@code none} and
 * HMAC confusion refused, every refusal with its own message).
 */
package io.wharf.server.auth.jwt;
