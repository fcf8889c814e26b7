package io.wharf.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthTrackerTest {
    private static final Instant STARTED = Instant.parse("2026-01-01T00:00:00Z");
    private static final CheckSettings LIVENESS = new CheckSettings(CheckKind.LIVENESS,
            new HealthCheck.Http(URI.create("http://127.0.0.1:1/")), Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ofSeconds(10), 3, 2);

    private HealthTracker tracker = HealthTracker.start(LIVENESS, STARTED);
    private final List<HealthTransition> transitions = new ArrayList<>();

    private void observe(long second, boolean ok) {
        var step = tracker.observe(new CheckResult(ok, ok ? "200" : "503"), STARTED.plusSeconds(second));
        tracker = step.tracker();
        step.transition().ifPresent(transitions::add);
    }

    @Test
    void staysUnknownUntilEnoughSuccesses() {
        observe(1, true);
        assertThat(tracker.state()).isEqualTo(HealthState.UNKNOWN);
        observe(2, true);
        assertThat(transitions).containsExactly(new HealthTransition(CheckKind.LIVENESS, HealthState.UNKNOWN,
                HealthState.HEALTHY, "200", STARTED.plusSeconds(2)));
    }

    @Test
    void failuresDuringTheStartPeriodDoNotCount() {
        for (int s = 1; s <= 9; s++) observe(s, false);
        assertThat(tracker.state()).isEqualTo(HealthState.UNKNOWN);
        assertThat(transitions).isEmpty();
    }

    @Test
    void consecutiveFailuresAfterTheStartPeriodMakeItUnhealthy() {
        observe(11, false);
        observe(12, false);
        assertThat(tracker.state()).isEqualTo(HealthState.UNKNOWN);
        observe(13, false);
        assertThat(transitions).containsExactly(new HealthTransition(CheckKind.LIVENESS, HealthState.UNKNOWN,
                HealthState.UNHEALTHY, "503", STARTED.plusSeconds(13)));
    }

    @Test
    void aSuccessBreaksARunOfFailures() {
        observe(1, true);
        observe(2, true);
        observe(11, false);
        observe(12, false);
        observe(13, true);
        observe(14, false);
        observe(15, false);
        assertThat(tracker.state()).isEqualTo(HealthState.HEALTHY);
        observe(16, false);
        assertThat(transitions).extracting(HealthTransition::to).containsExactly(HealthState.HEALTHY, HealthState.UNHEALTHY);
    }

    @Test
    void recoversAfterSuccessThresholdSuccesses() {
        for (int s = 11; s <= 13; s++) observe(s, false);
        observe(14, true);
        observe(15, true);
        assertThat(transitions).extracting(HealthTransition::from, HealthTransition::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple(HealthState.UNKNOWN, HealthState.UNHEALTHY),
                org.assertj.core.groups.Tuple.tuple(HealthState.UNHEALTHY, HealthState.HEALTHY));
    }
}
