package io.wharf.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.agent.driver.ExecResult;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HealthMonitorTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void reportsTransitionsAsTheCheckedThingFlipsStampedByTheInjectedClock() {
        var healthy = new AtomicBoolean(true);
        var runner = new CheckRunner((cmd, timeout) -> new ExecResult(healthy.get() ? 0 : 1, ""));
        var settings = new CheckSettings(CheckKind.READINESS, new HealthCheck.Command(List.of("probe")),
                Duration.ofMillis(20), Duration.ofSeconds(1), Duration.ZERO, 2, 2);
        var transitions = new CopyOnWriteArrayList<HealthTransition>();
        InstantSource fixed = InstantSource.fixed(T0.plusSeconds(5));

        try (var monitor = new HealthMonitor(settings, runner, fixed, T0, transitions::add)) {
            await().until(() -> monitor.state() == HealthState.HEALTHY);
            healthy.set(false);
            await().until(() -> monitor.state() == HealthState.UNHEALTHY);
            healthy.set(true);
            await().until(() -> monitor.state() == HealthState.HEALTHY);
        }

        assertThat(transitions).extracting(HealthTransition::from, HealthTransition::to, HealthTransition::at).containsExactly(
                org.assertj.core.groups.Tuple.tuple(HealthState.UNKNOWN, HealthState.HEALTHY, T0.plusSeconds(5)),
                org.assertj.core.groups.Tuple.tuple(HealthState.HEALTHY, HealthState.UNHEALTHY, T0.plusSeconds(5)),
                org.assertj.core.groups.Tuple.tuple(HealthState.UNHEALTHY, HealthState.HEALTHY, T0.plusSeconds(5)));
    }

    @Test
    void noFailureCountsWhileTheInjectedClockIsInTheStartPeriod() {
        var runs = new java.util.concurrent.atomic.AtomicInteger();
        var runner = new CheckRunner((cmd, timeout) -> {
            runs.incrementAndGet();
            return new ExecResult(1, "not yet");
        });
        var settings = new CheckSettings(CheckKind.LIVENESS, new HealthCheck.Command(List.of("probe")),
                Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofMinutes(1), 1, 1);
        try (var monitor = new HealthMonitor(settings, runner, InstantSource.fixed(T0.plusSeconds(30)), T0, t -> {})) {
            // The third run starts only after the first two results went through the tracker.
            await().until(() -> runs.get() >= 3);
            assertThat(monitor.state()).isEqualTo(HealthState.UNKNOWN);
        }
    }
}
