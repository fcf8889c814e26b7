/**
 * Workload identity on the node: each instance's token for its service principal, handed to its
 * tasks as {@code WHARF_TOKEN} and a 0400 file ({@code WHARF_TOKEN_FILE}) kept fresh before expiry
 * ({@link io.wharf.agent.identity.WorkloadIdentity}).
 */
package io.wharf.agent.identity;
