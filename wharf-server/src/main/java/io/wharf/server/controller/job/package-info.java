/**
 * The job controller: runs each Job (whoever created it: a stack, the API, the cron controller)
 * to completion. {@link io.wharf.server.controller.job.JobSteps} decides a run's next step as a
 * pure function of the job, its instances and the time; {@link io.wharf.server.controller.job.JobController}
 * carries steps out (placing through the shared {@code controller.service.Placements}) and
 * {@link io.wharf.server.controller.job.JobWrites} commits them; {@link io.wharf.server.controller.job.JobRuns}
 * is the API's "run it again" request.
 */
package io.wharf.server.controller.job;
