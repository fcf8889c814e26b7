/**
 * Who exists and how they prove it, kept in the store under {@code /wharf/auth/}: principals with
 * their grants ({@link io.wharf.server.auth.identity.AuthRecords}), custom roles, and API tokens
 * ({@link io.wharf.server.auth.identity.ApiTokens}: opaque, stored only as a SHA-256 hash, shown
 * once). {@link io.wharf.server.auth.identity.Authorizer} turns a principal into its
 * {@link io.wharf.server.auth.policy.Policy}; {@link io.wharf.server.auth.identity.Bootstrap}
 * makes the first admin; {@link io.wharf.server.auth.identity.AuthCache} is the watch-fed view that
 * authentication reads, so a warm call costs no store read (see CONCURRENCY.md for how fresh it is).
 */
package io.wharf.server.auth.identity;
