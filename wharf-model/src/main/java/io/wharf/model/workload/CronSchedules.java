package io.wharf.model.workload;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Cron schedules: UNIX 5-field expressions (minute hour day-of-month month day-of-week), the same
 * with a seconds field first (6 fields: {@code *}{@code /10 * * * * *} fires every 10 seconds), or
 * the nicknames {@code @yearly @annually @monthly @weekly @daily @midnight @hourly}.
 * Thread-safe (cron-utils parsers are immutable).
 */
public final class CronSchedules {
    private CronSchedules() {}

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    /** UNIX fields with seconds in front (cron-utils' own 6-field types use Quartz or Spring day rules). */
    private static final CronParser SECONDS_PARSER = new CronParser(CronDefinitionBuilder.defineCron()
            .withSeconds().withStrictRange().and()
            .withMinutes().withStrictRange().and()
            .withHours().withStrictRange().and()
            .withDayOfMonth().withStrictRange().and()
            .withMonth().withStrictRange().and()
            .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0).withStrictRange().and()
            .matchDayOfWeekAndDayOfMonth()
            .instance());
    private static final Map<String, String> NICKNAMES = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");

    /** The parsed schedule; use {@link #problem} first for untrusted text. */
    public static Cron parse(String expression) {
        String e = expression.trim();
        String expanded = NICKNAMES.getOrDefault(e.toLowerCase(Locale.ROOT), e);
        Cron cron = (expanded.split("\\s+").length == 6 ? SECONDS_PARSER : PARSER).parse(expanded);
        cron.validate();
        return cron;
    }

    /** Why {@code expression} is not a valid schedule, or empty. */
    public static Optional<String> problem(String expression) {
        String e = expression.trim();
        if (e.startsWith("@") && !NICKNAMES.containsKey(e.toLowerCase(Locale.ROOT))) {
            return Optional.of("unknown schedule nickname \"" + e + "\" (use " + String.join(", ",
                    NICKNAMES.keySet().stream().sorted().toList()) + ")");
        }
        int fields = e.split("\\s+").length;
        if (!e.startsWith("@") && fields != 5 && fields != 6) {
            return Optional.of("invalid cron expression \"" + e + "\": needs 5 fields (minute hour day-of-month month day-of-week)"
                    + " or 6 (second first), got " + fields);
        }
        try {
            parse(e);
            return Optional.empty();
        } catch (RuntimeException ex) {
            return Optional.of("invalid cron expression \"" + e + "\": " + ex.getMessage());
        }
    }
}
