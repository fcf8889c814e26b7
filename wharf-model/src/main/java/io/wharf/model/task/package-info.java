/**
 * Tasks: the unit a driver runs (a process, a container, a JVM), with its ports, env,
 * resources, volumes, config/secret mounts, health probes and restart policy. Services and jobs
 * are made of tasks; an instance runs one copy of each of its owner's tasks on one node.
 */
package io.wharf.model.task;
