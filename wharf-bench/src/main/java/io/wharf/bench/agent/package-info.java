/**
 * The agent benchmark: Wharf's node agent (docker driver) against Docker Swarm and plain
 * {@code docker run -d} on one private dockerd, in one run. Owns {@link io.wharf.bench.agent.AgentBench}
 * and the small Docker Engine client it polls with; run through {@code scripts/bench-agent}.
 */
package io.wharf.bench.agent;
