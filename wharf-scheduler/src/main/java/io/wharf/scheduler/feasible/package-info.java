/**
 * Feasibility rules that depend only on the node and the demand (readiness, drivers, constraints
 * over node attributes, version order). Each says why a node cannot take a demand as a {@link
 * io.wharf.scheduler.Reason}, or nothing. Rules over what a placement round has already placed
 * (resources, ports, instance counts, conflicts, volumes) live in {@link
 * io.wharf.scheduler.PlacementRound}, which owns that state.
 */
package io.wharf.scheduler.feasible;
