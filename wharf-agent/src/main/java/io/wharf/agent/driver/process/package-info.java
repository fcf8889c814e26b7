/**
 * The {@code process} driver: a host program in its own session and process group (started
 * through {@code setsid}), so stop signals reach everything it spawned; output goes straight to
 * the task's log files so it outlives the agent; recovery checks the pid's kernel start time so
 * a reused pid is never mistaken for the task. Reads {@code /proc} for liveness and stats.
 */
package io.wharf.agent.driver.process;
