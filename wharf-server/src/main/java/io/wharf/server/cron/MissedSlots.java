package io.wharf.server.cron;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to do about slots that fired while nobody handled them. Given the last handled slot's
 * instant and now, the missed slots are those in {@code (lastHandled, now]}. Only the latest
 * missed slot may run, once, and only if it is late by no more than the starting deadline
 * ({@code null} = unlimited: the latest always runs). Every other missed slot, and the latest one
 * when it is past the deadline, is skipped and reported. Pure; thread-safe.
 */
public final class MissedSlots {
    private MissedSlots() {}

    /**
     * The decision: {@code runNow} (at most one slot), {@code skipped} (the newest skipped slots,
     * newest first, at most the report cap) and {@code moreSkipped} (how many older skipped slots
     * were left out of the list).
     */
    public record Decision(Optional<CronSlot> runNow, List<CronSlot> skipped, int moreSkipped) {
        public Decision {
            Objects.requireNonNull(runNow, "runNow");
            skipped = List.copyOf(skipped);
            if (moreSkipped < 0) throw new IllegalArgumentException("moreSkipped < 0: " + moreSkipped);
        }

        /** All skipped slots, listed or not. */
        public int skippedCount() {
            return skipped.size() + moreSkipped;
        }
    }

    /**
     * Decides for the slots of {@code slots} in {@code (lastHandled, now]}.
     *
     * @param startingDeadline how late a slot may still start; {@code null} = unlimited
     * @param reportCap        at most this many skipped slots are listed (≥ 0)
     */
    public static Decision decide(CronSlots slots, Instant lastHandled, Instant now, Duration startingDeadline, int reportCap) {
        Objects.requireNonNull(slots, "slots");
        Objects.requireNonNull(lastHandled, "lastHandled");
        Objects.requireNonNull(now, "now");
        if (reportCap < 0) throw new IllegalArgumentException("reportCap < 0: " + reportCap);
        if (startingDeadline != null && (startingDeadline.isNegative() || startingDeadline.isZero())) {
            throw new IllegalArgumentException("startingDeadline must be > 0: " + startingDeadline);
        }
        List<CronSlot> missed = slots.between(lastHandled, now);
        if (missed.isEmpty()) return new Decision(Optional.empty(), List.of(), 0);
        CronSlot latest = missed.getLast();
        boolean inTime = startingDeadline == null
                || Duration.between(latest.fires(), now).compareTo(startingDeadline) <= 0;
        List<CronSlot> skippedOldestFirst = inTime ? missed.subList(0, missed.size() - 1) : missed;
        int listed = Math.min(reportCap, skippedOldestFirst.size());
        List<CronSlot> newestFirst = skippedOldestFirst.subList(skippedOldestFirst.size() - listed, skippedOldestFirst.size()).reversed();
        return new Decision(inTime ? Optional.of(latest) : Optional.empty(), newestFirst,
                skippedOldestFirst.size() - listed);
    }
}
