package io.wharf.server.cron;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CronSlotsTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("UTC daily baseline", "30 2 * * *", "UTC", "2026-03-28T00:00:00Z", "2026-03-30T00:00:00Z",
                        List.of("2026-03-28T02:30:00Z", "2026-03-29T02:30:00Z")),
                Arguments.of("Berlin spring-forward daily 02:30 fires at 03:00 CEST", "30 2 * * *", "Europe/Berlin",
                        "2026-03-28T12:00:00Z", "2026-03-30T12:00:00Z",
                        List.of("2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z")),
                Arguments.of("Berlin fall-back daily 02:30 fires once, first occurrence", "30 2 * * *", "Europe/Berlin",
                        "2026-10-24T12:00:00Z", "2026-10-25T12:00:00Z", List.of("2026-10-25T00:30:00Z")),
                Arguments.of("Berlin spring-forward hourly: no 02:00, one 03:00", "0 * * * *", "Europe/Berlin",
                        "2026-03-28T23:30:00Z", "2026-03-29T02:30:00Z",
                        List.of("2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z")),
                Arguments.of("Berlin fall-back @hourly fires for each real hour", "@hourly", "Europe/Berlin",
                        "2026-10-24T23:30:00Z", "2026-10-25T02:30:00Z",
                        List.of("2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z", "2026-10-25T02:00:00Z")),
                Arguments.of("Berlin fall-back */15 fires in both copies of 02:xx", "*/15 * * * *", "Europe/Berlin",
                        "2026-10-25T00:20:00Z", "2026-10-25T01:20:00Z",
                        List.of("2026-10-25T00:30:00Z", "2026-10-25T00:45:00Z", "2026-10-25T01:00:00Z", "2026-10-25T01:15:00Z")),
                Arguments.of("Berlin spring-forward */15 gap times merge into 03:00", "*/15 * * * *", "Europe/Berlin",
                        "2026-03-29T00:40:00Z", "2026-03-29T01:20:00Z",
                        List.of("2026-03-29T00:45:00Z", "2026-03-29T01:00:00Z", "2026-03-29T01:15:00Z")),
                Arguments.of("New York spring-forward daily 02:30 fires at 03:00 EDT", "30 2 * * *", "America/New_York",
                        "2026-03-08T00:00:00Z", "2026-03-08T12:00:00Z", List.of("2026-03-08T07:00:00Z")),
                Arguments.of("New York fall-back daily 01:30 fires once at EDT", "30 1 * * *", "America/New_York",
                        "2026-11-01T00:00:00Z", "2026-11-01T12:00:00Z", List.of("2026-11-01T05:30:00Z")),
                Arguments.of("New York fall-back hourly fires twice at 01:00", "0 * * * *", "America/New_York",
                        "2026-11-01T04:30:00Z", "2026-11-01T07:30:00Z",
                        List.of("2026-11-01T05:00:00Z", "2026-11-01T06:00:00Z", "2026-11-01T07:00:00Z")),
                Arguments.of("@daily across a year boundary", "@daily", "UTC", "2026-12-30T12:00:00Z", "2027-01-02T00:00:00Z",
                        List.of("2026-12-31T00:00:00Z", "2027-01-01T00:00:00Z", "2027-01-02T00:00:00Z")),
                Arguments.of("monthly across a month boundary in Berlin", "0 0 1 * *", "Europe/Berlin",
                        "2026-01-15T00:00:00Z", "2026-03-15T00:00:00Z",
                        List.of("2026-01-31T23:00:00Z", "2026-02-28T23:00:00Z")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void slotsFireAtTheDocumentedInstants(String name, String schedule, String zone, String after, String until, List<String> expected) {
        List<CronSlot> slots = CronSlots.of(schedule, ZoneId.of(zone)).between(Instant.parse(after), Instant.parse(until));
        assertThat(slots).extracting(CronSlot::id).containsExactlyElementsOf(expected);
    }

    @Test
    void slotIdsAreUniqueAcrossTheFallBackHour() {
        List<CronSlot> slots = CronSlots.of("*/15 * * * *", ZoneId.of("Europe/Berlin"))
                .between(Instant.parse("2026-10-24T23:00:00Z"), Instant.parse("2026-10-25T02:00:00Z"));
        assertThat(slots).hasSize(12);
        assertThat(slots.stream().map(CronSlot::id).distinct()).hasSize(12);
        assertThat(slots.get(5).nominal()).isEqualTo(slots.get(9).nominal());
    }

    @Test
    void nextSlotIsStrictlyAfterTheGivenInstant() {
        CronSlots hourly = CronSlots.of("@hourly", ZoneId.of("UTC"));
        assertThat(hourly.next(Instant.parse("2026-01-01T05:00:00Z")).orElseThrow().id()).isEqualTo("2026-01-01T06:00:00Z");
    }

    @Test
    void nextFindsRareSlotsYearsAhead() {
        CronSlots leapDay = CronSlots.of("0 0 29 2 *", ZoneId.of("UTC"));
        assertThat(leapDay.next(Instant.parse("2028-03-01T00:00:00Z")).orElseThrow().id()).isEqualTo("2032-02-29T00:00:00Z");
    }

    @Test
    void aSecondsScheduleFiresEverySecondsStepAlsoAcrossSpringForward() {
        CronSlots every20s = CronSlots.of("*/20 * * * * *", ZoneId.of("Europe/Berlin"));
        assertThat(every20s.next(Instant.parse("2026-11-22T10:00:05Z")).orElseThrow().id()).isEqualTo("2026-11-22T10:00:20Z");
        // 02:00:00-02:59:40 CET do not exist on 2026-03-29: all land on 03:00 CEST (01:00Z) once.
        assertThat(every20s.between(Instant.parse("2026-03-29T00:59:00Z"), Instant.parse("2026-03-29T01:00:40Z")))
                .extracting(CronSlot::id).containsExactly("2026-03-29T00:59:20Z", "2026-03-29T00:59:40Z",
                        "2026-03-29T01:00:00Z", "2026-03-29T01:00:20Z", "2026-03-29T01:00:40Z");
    }
}
