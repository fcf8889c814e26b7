/**
 * The agent's side of the control plane: registering the node and keeping it alive
 * ({@link io.wharf.agent.node.NodeLiveness}), following the instances placed on it
 * ({@link io.wharf.agent.node.Assignments}), converging what runs to them
 * ({@link io.wharf.agent.node.InstanceSupervisor}), reporting status in batches
 * ({@link io.wharf.agent.node.StatusReporter}) and persisting task handles so a restarted agent
 * adopts its workloads ({@link io.wharf.agent.node.HandleStore}). Talks to the server only
 * through wharf-client, never to the store.
 */
package io.wharf.agent.node;
