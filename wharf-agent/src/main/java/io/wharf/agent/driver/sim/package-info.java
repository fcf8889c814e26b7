/**
 * The {@code sim} driver, for tests and scale benchmarks: a task "runs" without any process (start
 * returns at once) until it is stopped, or fails on its own after a configured time. It costs a
 * map entry per task, so one agent (or a simulated fleet) can hold many thousands of them.
 */
package io.wharf.agent.driver.sim;
