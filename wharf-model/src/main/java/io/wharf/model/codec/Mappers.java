package io.wharf.model.codec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleDeserializers;
import java.util.Optional;
import java.util.function.Function;
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

/**
 * Builds the Jackson mappers for Wharf values: durations, sizes, CPU and enums in their text
 * forms, both ways (so other modules can use {@link ResourceCodec#json()} for plain DTOs that
 * hold them). Resources themselves are read by the validating schema readers, not by databind.
 */
final class Mappers {
    private Mappers() {}

    private static final ObjectMapper YAML = configure(YAMLMapper.builder(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build()).build());

    static ObjectMapper json() { return configure(new ObjectMapper()); }

    static ObjectMapper yaml() { return YAML; }

    /** Reads a value from its text form (numbers are taken as their text). */
    private static <T> StdDeserializer<T> text(Class<T> type, Function<String, Optional<T>> parse, String expected) {
        return new StdDeserializer<>(type) {
            @Override public T deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                if (!p.currentToken().isScalarValue()) return type.cast(ctx.handleUnexpectedToken(type, p));
                String s = p.getText();
                return parse.apply(s).orElseThrow(() -> InvalidFormatException.from(p, "expected " + expected + ", got \"" + s + "\"", s, type));
            }
        };
    }

    /** Enums implementing {@link WireValue} read by their wire name, case-insensitively. */
    private static final class WireEnums extends SimpleDeserializers {
        @Override public JsonDeserializer<?> findEnumDeserializer(Class<?> type, DeserializationConfig config, BeanDescription bean) {
            if (!WireValue.class.isAssignableFrom(type)) return null;
            Object[] constants = type.getEnumConstants();
            return new StdDeserializer<Object>(type) {
                @Override public Object deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                    String s = p.getValueAsString();
                    for (Object c : constants) if (((WireValue) c).wire().equalsIgnoreCase(s)) return c;
                    return ctx.handleWeirdStringValue(type, s, "not one of the allowed values");
                }
            };
        }
    }

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
        WireEnums readers = new WireEnums();
        readers.addDeserializer(Duration.class, text(Duration.class, Durations::parse, "a duration like \"10s\""));
        readers.addDeserializer(ByteSize.class, text(ByteSize.class, ByteSize::parse, "a size like \"256Mi\""));
        readers.addDeserializer(Cpu.class, text(Cpu.class, Cpu::parse, "CPU like \"500m\" or \"2\""));
        wharf.setDeserializers(readers);
        m.configOverride(java.util.List.class).setInclude(JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, null));
        m.configOverride(java.util.Map.class).setInclude(JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, null));
        return m.registerModule(new JavaTimeModule())
                .registerModule(wharf)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);
    }
}
