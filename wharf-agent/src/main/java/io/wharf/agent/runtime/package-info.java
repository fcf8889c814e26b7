/**
 * Running tasks and instances on this node: {@link io.wharf.agent.runtime.TaskRunner} keeps one
 * task going with a driver, its restart policy and liveness check;
 * {@link io.wharf.agent.runtime.InstanceRunner} runs an instance's tasks in lifecycle order
 * (prestart, sidecars beside main, poststop). Both report state changes as values to a listener.
 * See CONCURRENCY notes on each class: one virtual thread per runner.
 */
package io.wharf.agent.runtime;
