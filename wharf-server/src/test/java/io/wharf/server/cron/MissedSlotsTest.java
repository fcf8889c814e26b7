package io.wharf.server.cron;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class MissedSlotsTest {
    private final CronSlots hourly = CronSlots.of("0 * * * *", ZoneId.of("UTC"));
    private final Instant last = Instant.parse("2026-01-01T00:00:00Z");
    private final Instant now = Instant.parse("2026-01-01T05:10:00Z");

    @Test
    void latestMissedSlotRunsWithinTheDeadlineAndOlderOnesAreSkipped() {
        MissedSlots.Decision d = MissedSlots.decide(hourly, last, now, Duration.ofMinutes(15), 2);
        assertThat(d.runNow().orElseThrow().id()).isEqualTo("2026-01-01T05:00:00Z");
        assertThat(d.skipped()).extracting(CronSlot::id).containsExactly("2026-01-01T04:00:00Z", "2026-01-01T03:00:00Z");
        assertThat(d.moreSkipped()).isEqualTo(2);
    }

    @Test
    void latestMissedSlotPastTheDeadlineIsSkippedToo() {
        MissedSlots.Decision d = MissedSlots.decide(hourly, last, now, Duration.ofMinutes(5), 10);
        assertThat(d.runNow()).isEmpty();
        assertThat(d.skippedCount()).isEqualTo(5);
    }

    @Test
    void withoutDeadlineTheLatestRunsOnceAndTheRestAreSkipped() {
        MissedSlots.Decision d = MissedSlots.decide(hourly, last, now, null, 10);
        assertThat(d.runNow().orElseThrow().id()).isEqualTo("2026-01-01T05:00:00Z");
        assertThat(d.skippedCount()).isEqualTo(4);
        assertThat(d.moreSkipped()).isZero();
    }

    @Test
    void nothingMissedMeansNothingToDo() {
        MissedSlots.Decision d = MissedSlots.decide(hourly, last, Instant.parse("2026-01-01T00:30:00Z"), null, 10);
        assertThat(d.runNow()).isEmpty();
        assertThat(d.skipped()).isEmpty();
    }
}
