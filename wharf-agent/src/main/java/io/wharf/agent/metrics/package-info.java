/**
 * The agent's Prometheus metrics: task health and restarts per instance, instance counts by state,
 * health check durations; served by the agent endpoint at {@code GET /metrics}.
 */
package io.wharf.agent.metrics;
