package io.wharf.agent.driver;

/**
 * Resource use of a task at one moment: {@code cpuNanos} is total CPU time used so far (user +
 * system, all its processes), {@code memoryBytes} its resident memory.
 */
public record TaskStats(long cpuNanos, long memoryBytes, int processes) {}
