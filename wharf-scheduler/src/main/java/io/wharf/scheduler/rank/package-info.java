/** Rankers order feasible nodes: bin-pack (fill the fullest first) or spread. */
package io.wharf.scheduler.rank;
