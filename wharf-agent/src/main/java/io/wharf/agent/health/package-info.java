/**
 * Health checks of running tasks: the check kinds (http, tcp, command), a pure state machine
 * ({@link io.wharf.agent.health.HealthTracker}) that turns results into HEALTHY/UNHEALTHY
 * transitions with thresholds and a start period, and a thin scheduler
 * ({@link io.wharf.agent.health.HealthMonitor}) that runs one check on a virtual thread.
 */
package io.wharf.agent.health;
