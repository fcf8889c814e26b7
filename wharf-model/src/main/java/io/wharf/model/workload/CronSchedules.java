package io.wharf.model.workload;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Cron schedules: UNIX 5-field expressions (minute hour day-of-month month day-of-week) or the
 * nicknames {@code @yearly @annually @monthly @weekly @daily @midnight @hourly}.
 * Thread-safe (cron-utils parsers are immutable).
 */
public final class CronSchedules {
    private CronSchedules() {}

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Map<String, String> NICKNAMES = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");

    /** The parsed schedule; use {@link #problem} first for untrusted text. */
    public static Cron parse(String expression) {
        String e = expression.trim();
        String expanded = NICKNAMES.getOrDefault(e.toLowerCase(Locale.ROOT), e);
        Cron cron = PARSER.parse(expanded);
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
        if (!e.startsWith("@") && e.split("\\s+").length != 5) {
            return Optional.of("invalid cron expression \"" + e + "\": needs 5 fields (minute hour day-of-month month day-of-week), got "
                    + e.split("\\s+").length);
        }
        try {
            parse(e);
            return Optional.empty();
        } catch (RuntimeException ex) {
            return Optional.of("invalid cron expression \"" + e + "\": " + ex.getMessage());
        }
    }
}
