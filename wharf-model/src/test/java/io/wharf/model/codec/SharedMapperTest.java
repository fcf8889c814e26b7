package io.wharf.model.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import io.wharf.model.Kind;
import io.wharf.model.quantity.ByteSize;
import io.wharf.model.quantity.Cpu;
import io.wharf.model.task.RestartMode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Other modules use {@link ResourceCodec#json()} for their DTOs; Wharf's value types work both ways. */
class SharedMapperTest {
    record Dto(Duration every, ByteSize memory, Cpu cpu, RestartMode mode, Kind kind, Instant at, String absent) {}

    @Test
    void wharfValuesRoundTripThroughTheSharedMapper() throws Exception {
        Dto dto = new Dto(Duration.ofSeconds(90), ByteSize.ofMebibytes(256), new Cpu(500), RestartMode.ON_FAILURE, Kind.CRON_JOB,
                Instant.parse("2026-11-22T10:00:00Z"), null);
        String json = ResourceCodec.json().writeValueAsString(dto);
        assertThat(json).isEqualTo("{\"every\":\"1m30s\",\"memory\":\"256Mi\",\"cpu\":\"500m\",\"mode\":\"on-failure\","
                + "\"kind\":\"CronJob\",\"at\":\"2026-11-22T10:00:00Z\"}");
        assertThat(ResourceCodec.json().readValue(json, Dto.class)).isEqualTo(dto);
    }

    @Test
    void badValuesFailWithAReadableMessage() {
        assertThatThrownBy(() -> ResourceCodec.json().readValue("{\"every\":\"10\"}", Dto.class))
                .isInstanceOf(InvalidFormatException.class).hasMessageContaining("expected a duration like \"10s\", got \"10\"");
    }
}
