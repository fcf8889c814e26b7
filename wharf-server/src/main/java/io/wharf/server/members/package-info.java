/**
 * Server membership: which control-plane servers share the store. Each server registers itself
 * ({@link io.wharf.server.members.ServerMembership}) under
 * {@value io.wharf.server.members.ServerMembership#PREFIX}{@code {id}} on a store lease of its own
 * and rewrites the key with its heartbeat time; a server that stops (or is killed) drops out when
 * its lease lapses, one that closes cleanly revokes the lease and leaves at once. The members, each
 * a {@link io.wharf.server.members.ServerMember}, are what {@code GET /v1/servers} and
 * {@code wharf server members} show. On the embedded store the one server is the only member and
 * nothing is written.
 */
package io.wharf.server.members;
