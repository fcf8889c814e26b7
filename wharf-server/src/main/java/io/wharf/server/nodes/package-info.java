/**
 * What the server does for agents: node liveness leases and heartbeats ({@link
 * io.wharf.server.nodes.NodeLiveness}) and batched instance status reports ({@link
 * io.wharf.server.nodes.InstanceStatusReports}). The HTTP side lives in {@code server.api}.
 */
package io.wharf.server.nodes;
