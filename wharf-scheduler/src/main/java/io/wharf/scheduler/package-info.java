/**
 * The scheduler: feasibility ({@code feasible}) whose vetoes say in words why a node cannot take
 * an instance, then ranking ({@code rank}). Business logic only: no I/O, no clock; the server
 * builds snapshots and applies plans.
 *
 * <p>How to call it (the {@link io.wharf.scheduler.Scheduler} is stateless and thread-safe):
 * <pre>{@code
 * ClusterSnapshot cluster = new ClusterSnapshot(nodes);        // List<NodeCandidate>
 * Demand web = Demand.of("shop/web", resources)
 *     .withDrivers(Set.of("process")).withHostPorts(Set.of(8080))
 *     .withConstraints(placement.constraints())
 *     .withStrategy(placement.strategy())                       // or .spreadOver("node.labels.zone")
 *     .withDistinctNodes(placement.distinctNodes())
 *     .withConflicts(Demand.conflictsOf("shop/web", declared))  // both directions
 *     .withVolumes(List.of(new NamedVolume("shop/data", "n3"))); // node null: not created yet
 *
 * Plan one = scheduler.schedule(web, cluster);                  // Placement(node) | NoPlacement
 * BatchPlan many = scheduler.place(web, 20, cluster);           // nodes(), unplaced(), reasons()
 * GlobalPlan g = scheduler.global(agent, cluster);              // eligible(), add(), remove()
 *
 * PlacementRound round = scheduler.round(cluster);              // several services, one pass
 * round.place(web, 3); round.place(api, 5);                     // each sees the ones before
 *
 * many.reasons().text();   // "3 nodes: not enough memory (need 512Mi, largest free 256Mi); 2 nodes: ..."
 * many.reasons().groups(); // the same as data: reason, count, first node names
 * }</pre>
 */
package io.wharf.scheduler;
