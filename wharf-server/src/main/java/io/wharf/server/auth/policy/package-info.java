/**
 * What principals may do: allow rules of (namespace pattern, kinds, verbs), roles that bundle
 * rules (built-in {@code admin}, {@code viewer}, {@code node}), and the pure decisions over them —
 * whether a set of rules allows one {@link io.wharf.server.auth.policy.Permission}, and which of
 * the rules someone wants to grant the granter does not hold (no escalation). No I/O here.
 */
package io.wharf.server.auth.policy;
