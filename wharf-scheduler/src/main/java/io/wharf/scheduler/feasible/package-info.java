/** Feasibility checks: each says why one node cannot take a demand, or nothing. */
package io.wharf.scheduler.feasible;
