/**
 * When a task that exited is started again: a pure function of the policy, the task's past
 * exits and the current time (no clock reads, no I/O), like systemd's {@code Restart=} with
 * {@code StartLimitBurst}/{@code StartLimitIntervalSec} plus exponential backoff.
 */
package io.wharf.agent.restart;
