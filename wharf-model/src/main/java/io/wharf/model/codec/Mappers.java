package io.wharf.model.codec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.wharf.model.WireValue;
import io.wharf.model.quantity.ByteSize;
import io.wharf.model.quantity.Cpu;
import io.wharf.model.quantity.Durations;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/** Builds the Jackson mappers that write Wharf values: durations, sizes, CPU and enums in their text forms. */
final class Mappers {
    private Mappers() {}

    private static final ObjectMapper YAML = configure(YAMLMapper.builder(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build()).build());

    static ObjectMapper json() { return configure(new ObjectMapper()); }

    static ObjectMapper yaml() { return YAML; }

    static ObjectMapper configure(ObjectMapper m) {
        SimpleModule wharf = new SimpleModule("wharf");
        wharf.addSerializer(Duration.class, new StdSerializer<>(Duration.class) {
            @Override public void serialize(Duration d, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(Durations.format(d));
            }
        });
        wharf.addSerializer(ByteSize.class, ToStringSerializer.instance);
        wharf.addSerializer(Cpu.class, ToStringSerializer.instance);
        @SuppressWarnings({"rawtypes", "unchecked"})
        StdSerializer<Enum> enums = new StdSerializer<>(Enum.class) {
            @Override public void serialize(Enum e, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(e instanceof WireValue w ? w.wire() : e.name().toLowerCase(Locale.ROOT));
            }
        };
        wharf.addSerializer(Enum.class, enums);
        m.configOverride(java.util.List.class).setInclude(JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, null));
        m.configOverride(java.util.Map.class).setInclude(JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, null));
        return m.registerModule(new JavaTimeModule())
                .registerModule(wharf)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }
}
