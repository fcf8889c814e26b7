package io.wharf.model.workload;

import static org.assertj.core.api.Assertions.assertThat;

import com.cronutils.model.time.ExecutionTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CronSchedulesTest {

    @ParameterizedTest(name = "\"{0}\" is a schedule")
    @ValueSource(strings = {"* * * * *", "*/5 * * * *", "30 2 * * 1-5", "0 0 1 1 *", "0 12 * * 0", "0 12 * * 7", "15,45 8-18 * * MON-FRI",
            "@hourly", "@daily", "@midnight", "@weekly", "@monthly", "@yearly", "@annually", "@DAILY",
            "*/5 * * * * *", "0 30 2 * * 1-5"})
    void validSchedulesHaveNoProblem(String expression) {
        assertThat(CronSchedules.problem(expression)).isEmpty();
    }

    @ParameterizedTest(name = "\"{0}\" is not a schedule")
    @ValueSource(strings = {"", "* * * *", "* * * * * * *", "60 * * * * *", "61 * * * *", "* 24 * * *", "* * 32 * *", "* * * 13 *", "@reboot", "every day", "*/0 * * * *"})
    void invalidSchedulesAreExplained(String expression) {
        assertThat(CronSchedules.problem(expression)).isPresent();
    }

    @ParameterizedTest(name = "{0} after {1} in {2} fires at {3}")
    @CsvSource({
            "@hourly, 2026-11-22T10:15:00, UTC, 2026-11-22T11:00:00",
            "30 2 * * 1-5, 2026-11-21T12:00:00, UTC, 2026-11-23T02:30:00",
            "0 9 * * *, 2026-07-01T10:00:00, America/New_York, 2026-07-02T09:00:00",
            "*/10 * * * * *, 2026-07-01T10:00:01, UTC, 2026-07-01T10:00:10",
            "0 30 2 * * 1-5, 2026-11-21T12:00:00, UTC, 2026-11-23T02:30:00"})
    void parsedSchedulesComputeTheNextSlotInTheirZone(String expression, String after, String zone, String expected) {
        ExecutionTime t = ExecutionTime.forCron(CronSchedules.parse(expression));
        ZonedDateTime from = java.time.LocalDateTime.parse(after).atZone(ZoneId.of(zone));
        assertThat(t.nextExecution(from).orElseThrow().toLocalDateTime()).isEqualTo(java.time.LocalDateTime.parse(expected));
    }
}
