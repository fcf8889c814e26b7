/**
 * Workload specs and statuses: services (replicas, update, placement, dependencies,
 * autoscaling), jobs and cron jobs. Their tasks live in {@link io.wharf.model.task}.
 */
package io.wharf.model.workload;
