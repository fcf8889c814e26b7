package io.wharf.server.cron;

import com.cronutils.model.Cron;
import com.cronutils.model.field.CronFieldName;
import com.cronutils.model.time.ExecutionTime;
import io.wharf.model.workload.CronSchedules;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The slots of one schedule in one zone. The schedule is matched against wall-clock (local)
 * date-times; each matching local time becomes a slot by these rules:
 * <ul>
 *   <li>normal time: fires at that local time's only instant;</li>
 *   <li>spring-forward gap (the local time does not exist that day): fires at the instant the gap
 *       ends (the transition instant; Europe/Berlin 02:30 on the last Sunday of March fires at
 *       03:00 CEST = 01:00Z). Never skipped. Several local times that land on the same instant
 *       (gap times, and a slot at the gap's end itself) are one slot, keeping the earliest
 *       nominal time;</li>
 *   <li>fall-back overlap (the local time occurs twice): a schedule whose hour field matches every
 *       hour ({@code *}, {@code *}{@code /1}, {@code 0-23}; e.g. {@code @hourly},
 *       {@code *}{@code /15 * * * *}) fires at both occurrences, as it does for every real hour;
 *       any other schedule (a specific hour, e.g. daily {@code 30 2 * * *}) fires once, at the
 *       first occurrence (the earlier, summer-time offset).</li>
 * </ul>
 * Immutable and thread-safe. Cost is linear in the number of matching local times looked at.
 */
public final class CronSlots {
    /** Zone transitions are looked for this far around a window (no transition moves a clock by more than a day). */
    private static final long MARGIN_HOURS = 26;

    private final String schedule;
    private final ZoneId zone;
    private final ExecutionTime wallClock;
    private final boolean everyHour;

    private CronSlots(String schedule, ZoneId zone, Cron cron) {
        this.schedule = schedule;
        this.zone = zone;
        // Evaluated in UTC, which has no transitions, so it yields plain wall-clock matches.
        this.wallClock = ExecutionTime.forCron(cron);
        String hourField = cron.retrieve(CronFieldName.HOUR).getExpression().asString().trim();
        this.everyHour = hourField.equals("*") || hourField.equals("*/1") || hourField.equals("0-23")
                || hourField.equals("0-23/1");
    }

    /** The slots of {@code schedule} (validate it with {@link CronSchedules#problem} first) in {@code zone}. */
    public static CronSlots of(String schedule, ZoneId zone) {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(zone, "zone");
        return new CronSlots(schedule, zone, CronSchedules.parse(schedule));
    }

    public String schedule() {
        return schedule;
    }

    public ZoneId zone() {
        return zone;
    }

    /** Whether the hour field matches every hour (such schedules fire in both copies of a repeated hour). */
    public boolean matchesEveryHour() {
        return everyHour;
    }

    /** The slots firing in {@code (after, until]}, in firing order. */
    public List<CronSlot> between(Instant after, Instant until) {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(until, "until");
        if (!until.isAfter(after)) return List.of();
        // A wall-clock time maps to an instant through one of the offsets in force around the
        // window, so only local times within the largest offset difference of the window's ends
        // can land inside it (none at all on days without a transition: no wasted matches, which
        // matters for schedules with a seconds field).
        long margin = offsetSpread(after.minus(MARGIN_HOURS, ChronoUnit.HOURS), until.plus(MARGIN_HOURS, ChronoUnit.HOURS));
        LocalDateTime from = LocalDateTime.ofInstant(after, zone).minusSeconds(margin);
        LocalDateTime to = LocalDateTime.ofInstant(until, zone).plusSeconds(margin);
        TreeMap<Instant, CronSlot> byInstant = new TreeMap<>();
        LocalDateTime local = from;
        while (true) {
            Optional<ZonedDateTime> next = wallClock.nextExecution(local.atZone(ZoneOffset.UTC));
            if (next.isEmpty()) break;
            local = next.get().toLocalDateTime();
            if (local.isAfter(to)) break;
            for (Instant fires : instantsOf(local)) {
                if (fires.isAfter(after) && !fires.isAfter(until)) byInstant.putIfAbsent(fires, new CronSlot(local, fires));
            }
        }
        return List.copyOf(byInstant.values());
    }

    /** The first slot firing strictly after {@code after}; empty only for a schedule that never matches again. */
    public Optional<CronSlot> next(Instant after) {
        Objects.requireNonNull(after, "after");
        // Widen the window (from one second, doubling) until a slot appears, so a frequent
        // schedule looks at few matches; a schedule matches at least once in any calendar cycle
        // it can match in, so give up after a few years (e.g. "0 0 30 2 *").
        for (long seconds = 1; seconds <= 366L * 17 * 86_400; seconds *= 2) {
            List<CronSlot> slots = between(after, after.plusSeconds(seconds));
            if (!slots.isEmpty()) return Optional.of(slots.getFirst());
        }
        return Optional.empty();
    }

    /** The largest difference in seconds between offsets in force during {@code [from, to]}. */
    private long offsetSpread(Instant from, Instant to) {
        var rules = zone.getRules();
        int min = rules.getOffset(from).getTotalSeconds();
        int max = min;
        var t = rules.nextTransition(from);
        while (t != null && !t.getInstant().isAfter(to)) {
            int o = t.getOffsetAfter().getTotalSeconds();
            min = Math.min(min, o);
            max = Math.max(max, o);
            t = rules.nextTransition(t.getInstant());
        }
        return max - min;
    }

    /** The instants the wall-clock time {@code local} fires at, by the rules in the class comment. */
    private List<Instant> instantsOf(LocalDateTime local) {
        var rules = zone.getRules();
        List<ZoneOffset> offsets = rules.getValidOffsets(local);
        if (offsets.isEmpty()) {
            return List.of(rules.getTransition(local).getInstant());
        }
        if (offsets.size() == 1) return List.of(local.toInstant(offsets.getFirst()));
        // Overlap: getValidOffsets lists the earlier offset (before the transition) first.
        List<Instant> both = new ArrayList<>(2);
        both.add(local.toInstant(offsets.get(0)));
        if (everyHour) both.add(local.toInstant(offsets.get(1)));
        return both;
    }
}
