/**
 * The resource model: {@link io.wharf.model.Kind}, {@link io.wharf.model.Metadata} and one
 * immutable record per kind implementing the sealed {@link io.wharf.model.Resource}. Spec and
 * status types live in sub-packages by capability (task, workload, routing, config, cluster).
 * Pure values: no I/O, no clock.
 */
package io.wharf.model;
