package io.wharf.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KindTest {

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource({"cronjobs, CRON_JOB", "cronjob, CRON_JOB", "CronJob, CRON_JOB", "CRONJOBS, CRON_JOB", "cron_job, CRON_JOB",
            "services, SERVICE", "service, SERVICE", "Service, SERVICE", "' nodes ', NODE", "Event, EVENT", "namespaces, NAMESPACE"})
    void parsesPluralSingularAndDisplayName(String text, Kind kind) {
        assertThat(Kind.parse(text)).contains(kind);
    }

    @Test
    void unknownSpellingsAreEmpty() {
        assertThat(Kind.parse("svc")).isEmpty();
        assertThat(Kind.parse("")).isEmpty();
        assertThat(Kind.parse(null)).isEmpty();
    }

    @Test
    void namesFollowTheApiContract() {
        assertThat(Arrays.stream(Kind.values()).map(Kind::plural)).containsExactly("namespaces", "stacks", "services", "jobs",
                "cronjobs", "routes", "configs", "secrets", "endpoints", "nodes", "instances", "events");
        assertThat(Arrays.stream(Kind.values()).filter(k -> !k.namespaced())).containsExactly(Kind.NAMESPACE, Kind.NODE);
        for (Kind k : Kind.values()) {
            assertThat(k.type().getSimpleName()).isEqualTo(k.displayName());
        }
    }
}
