package io.wharf.model.quantity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitySyntaxTest {

    @ParameterizedTest(name = "{0} is {1} ms, written {2}")
    @CsvSource({
            "0, 0, 0s",
            "500ms, 500, 500ms",
            "10s, 10000, 10s",
            "1m30s, 90000, 1m30s",
            "90s, 90000, 1m30s",
            "2h, 7200000, 2h",
            "1d12h, 129600000, 36h",
            "1h0m5s, 3605000, 1h5s",
            "1s250ms, 1250, 1s250ms",
            "' 15m ', 900000, 15m"})
    void durationsParseAndFormatCanonically(String text, long millis, String canonical) {
        Duration d = Durations.parse(text).orElseThrow();
        assertThat(d.toMillis()).isEqualTo(millis);
        assertThat(Durations.format(d)).isEqualTo(canonical);
        assertThat(Durations.parse(canonical)).contains(d);
    }

    @ParameterizedTest(name = "\"{0}\" is not a duration")
    @ValueSource(strings = {"", "10", "-5s", "1.5s", "s", "10 s", "1s1m", "1m1m", "5sec", "1h-5m", "10S", "ms", "PT10S"})
    void badDurationsAreRejected(String text) {
        assertThat(Durations.parse(text)).isEmpty();
    }

    @ParameterizedTest(name = "{0} is {1} bytes, written {2}")
    @CsvSource({
            "0, 0, 0",
            "1500, 1500, 1500",
            "1024, 1024, 1Ki",
            "256Mi, 268435456, 256Mi",
            "1Gi, 1073741824, 1Gi",
            "512M, 512000000, 512M",
            "1k, 1000, 1K",
            "1K, 1000, 1K",
            "2Ti, 2199023255552, 2Ti",
            "1000Ki, 1024000, 1000Ki",
            "3G, 3000000000, 3G"})
    void sizesParseAndFormatCanonically(String text, long bytes, String canonical) {
        ByteSize s = ByteSize.parse(text).orElseThrow();
        assertThat(s.bytes()).isEqualTo(bytes);
        assertThat(s.toString()).isEqualTo(canonical);
        assertThat(ByteSize.parse(canonical)).contains(s);
    }

    @ParameterizedTest(name = "\"{0}\" is not a size")
    @ValueSource(strings = {"", "-1", "1.5Gi", "12 GB", "1MB", "1mi", "Mi", "1KiB", "99999999999Ti"})
    void badSizesAreRejected(String text) {
        assertThat(ByteSize.parse(text)).isEmpty();
    }

    @ParameterizedTest(name = "{0} is {1} millicores, written {2}")
    @CsvSource({"500m, 500, 500m", "0.5, 500, 500m", "2, 2000, 2", "1.25, 1250, 1250m", "0.001, 1, 1m", "1000m, 1000, 1", "0, 0, 0"})
    void cpuParsesAndFormatsCanonically(String text, long millis, String canonical) {
        Cpu c = Cpu.parse(text).orElseThrow();
        assertThat(c.millicores()).isEqualTo(millis);
        assertThat(c.toString()).isEqualTo(canonical);
        assertThat(Cpu.parse(canonical)).contains(c);
    }

    @ParameterizedTest(name = "\"{0}\" is not a CPU amount")
    @ValueSource(strings = {"", "-1", "0.0001", "1.5m", "2 cores", "half", "1e3"})
    void badCpuIsRejected(String text) {
        assertThat(Cpu.parse(text)).isEmpty();
    }
}
