package io.wharf.agent.restart;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.task.RestartMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RestartPolicyTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final RestartPolicy THREE_PER_MINUTE = new RestartPolicy(RestartMode.ALWAYS, 3, Duration.ofMinutes(1),
            Duration.ofSeconds(1), Duration.ofSeconds(5), 2.0);

    /** A task's life on a fake clock: each exit happens at an offset from T0. */
    private final List<Exit> exits = new ArrayList<>();

    private RestartDecision exitAt(RestartPolicy policy, long secondsAfterStart, boolean success) {
        Instant at = T0.plusSeconds(secondsAfterStart);
        exits.add(new Exit(at, success, success ? "exited with code 0" : "exited with code 1"));
        return policy.decide(exits, at);
    }

    static Stream<Arguments> modes() {
        return Stream.of(
                Arguments.of("always restarts a success", RestartMode.ALWAYS, true, "Restart"),
                Arguments.of("always restarts a failure", RestartMode.ALWAYS, false, "Restart"),
                Arguments.of("on-failure completes on success", RestartMode.ON_FAILURE, true, "Done"),
                Arguments.of("on-failure restarts a failure", RestartMode.ON_FAILURE, false, "Restart"),
                Arguments.of("never completes on success", RestartMode.NEVER, true, "Done"),
                Arguments.of("never gives up on failure", RestartMode.NEVER, false, "GiveUp"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void modeDecidesWhichExitsAreRestarted(String name, RestartMode mode, boolean success, String expected) {
        var policy = new RestartPolicy(mode, 3, Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofSeconds(5), 2);
        assertThat(exitAt(policy, 10, success).getClass().getSimpleName()).isEqualTo(expected);
    }

    @Test
    void failureUnderNeverSaysHowTheTaskEnded() {
        assertThat(exitAt(RestartPolicy.never(), 1, false))
                .isEqualTo(new RestartDecision.GiveUp("exited with code 1 (restart policy never)"));
    }

    @Test
    void delayGrowsByTheMultiplierUpToTheCap() {
        var policy = new RestartPolicy(RestartMode.ALWAYS, 0, Duration.ofMinutes(10), Duration.ofSeconds(1),
                Duration.ofSeconds(5), 2.0);
        assertThat(exitAt(policy, 1, false)).isEqualTo(new RestartDecision.Restart(Duration.ofSeconds(1)));
        assertThat(exitAt(policy, 3, false)).isEqualTo(new RestartDecision.Restart(Duration.ofSeconds(2)));
        assertThat(exitAt(policy, 6, false)).isEqualTo(new RestartDecision.Restart(Duration.ofSeconds(4)));
        assertThat(exitAt(policy, 11, false)).isEqualTo(new RestartDecision.Restart(Duration.ofSeconds(5)));
        assertThat(exitAt(policy, 17, false)).isEqualTo(new RestartDecision.Restart(Duration.ofSeconds(5)));
    }

    @Test
    void moreRestartsThanAttemptsWithinTheIntervalGiveUpWithTheReason() {
        assertThat(exitAt(THREE_PER_MINUTE, 1, false)).isInstanceOf(RestartDecision.Restart.class);
        assertThat(exitAt(THREE_PER_MINUTE, 3, false)).isInstanceOf(RestartDecision.Restart.class);
        assertThat(exitAt(THREE_PER_MINUTE, 6, false)).isInstanceOf(RestartDecision.Restart.class);
        assertThat(exitAt(THREE_PER_MINUTE, 11, false)).isEqualTo(new RestartDecision.GiveUp(
                "start limit reached: 3 restarts within 1m; last run exited with code 1"));
    }

    @Test
    void exitsOlderThanTheIntervalNoLongerCountAgainstTheLimitOrTheBackoff() {
        exitAt(THREE_PER_MINUTE, 1, false);
        exitAt(THREE_PER_MINUTE, 3, false);
        exitAt(THREE_PER_MINUTE, 6, false);
        assertThat(exitAt(THREE_PER_MINUTE, 300, false)).isEqualTo(new RestartDecision.Restart(Duration.ofSeconds(1)));
    }

    @Test
    void noLimitWhenAttemptsIsZero() {
        var unlimited = new RestartPolicy(RestartMode.ON_FAILURE, 0, Duration.ofMinutes(1), Duration.ZERO, Duration.ZERO, 1);
        for (int i = 1; i <= 50; i++) {
            assertThat(exitAt(unlimited, i, false)).isEqualTo(new RestartDecision.Restart(Duration.ZERO));
        }
    }

    @Test
    void modelPolicyDefaultsCarryOver() {
        var policy = RestartPolicy.of(io.wharf.model.task.RestartPolicy.SERVICE_DEFAULT);
        assertThat(policy).isEqualTo(new RestartPolicy(RestartMode.ALWAYS, 10, Duration.ofMinutes(5),
                Duration.ofMillis(250), Duration.ofMinutes(1), 2.0));
    }
}
