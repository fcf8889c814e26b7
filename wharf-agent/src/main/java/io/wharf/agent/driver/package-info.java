/**
 * The driver contract: how the agent starts, watches, stops, recovers and inspects one task
 * whatever runs it (a host process, a JVM, a container). {@link io.wharf.agent.driver.Driver}
 * takes a {@link io.wharf.agent.driver.TaskConfig} (the driver-facing slice of a model
 * {@code TaskSpec}, built by {@link io.wharf.agent.runtime.TaskPlans}) and hands back a
 * serializable {@link io.wharf.agent.driver.TaskHandle} that survives an agent restart.
 */
package io.wharf.agent.driver;
