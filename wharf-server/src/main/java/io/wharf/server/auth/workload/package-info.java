/**
 * Workload identity: each instance's token for its service principal, issued to the agent of its
 * node only, refreshed by the agent before expiry and void once the instance stops
 * ({@link io.wharf.server.auth.workload.WorkloadTokens}).
 */
package io.wharf.server.auth.workload;
