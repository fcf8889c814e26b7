/**
 * The cron controller: fires each cron job's slots as Jobs, at most once per slot across all
 * servers. {@link io.wharf.server.controller.cron.CronCache} is its informer (cron jobs and the
 * jobs they started, one store watch); {@link io.wharf.server.controller.cron.CronPass} decides a
 * pass purely from (cron job, its jobs, now) using the slot maths of {@code io.wharf.server.cron};
 * {@link io.wharf.server.controller.cron.CronFiring} commits a pass as ONE fenced store transaction
 * (slot lease key, the new Job, the cron job's status, history deletes, events), so a deposed
 * leader's late firing fails whole; {@link io.wharf.server.controller.cron.CronController} runs
 * passes and sleeps until each cron job's next slot. Runs on the leader only.
 */
package io.wharf.server.controller.cron;
