/**
 * Pure cron time logic: which instants a schedule fires at in a time zone ({@link
 * io.wharf.server.cron.CronSlots}), including the daylight-saving rules, and what to do about
 * slots missed while no server was firing them ({@link io.wharf.server.cron.MissedSlots}).
 * No I/O and no clock reads: every method takes the instants it needs. All types are immutable
 * and thread-safe. The rules are documented in docs/stack-file.md, "Cron schedules and time zones".
 */
package io.wharf.server.cron;
