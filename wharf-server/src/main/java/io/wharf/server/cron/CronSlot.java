package io.wharf.server.cron;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Objects;

/**
 * One firing of a schedule: the nominal wall-clock time the schedule names ({@code nominal}, in
 * the schedule's zone) and the instant it fires. {@link #id()} (the UTC instant, ISO-8601) is
 * stable and unique per schedule, also across a repeated fall-back hour, so a lease on (cron job,
 * slot id) makes a slot fire once across servers.
 */
public record CronSlot(LocalDateTime nominal, Instant fires) {
    public CronSlot {
        Objects.requireNonNull(nominal, "nominal");
        Objects.requireNonNull(fires, "fires");
    }

    /** The slot's identity: its firing instant in UTC, e.g. {@code 2026-10-25T00:30:00Z}. */
    public String id() {
        return fires.toString();
    }
}
