package io.wharf.agent.ambassador;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DependencyEnvTest {
    @Test
    void variablesNameTheAmbassadorOfEveryPortAndTheFirstIsTheDefault() {
        assertThat(DependencyEnv.variables("user-db", List.of(Map.entry("postgres", 41001), Map.entry("metrics", 41002))))
                .containsExactly(
                        Map.entry("USER_DB_HOST", "127.0.0.1"),
                        Map.entry("USER_DB_PORT", "41001"),
                        Map.entry("USER_DB_URL", "tcp://127.0.0.1:41001"),
                        Map.entry("USER_DB_PORT_POSTGRES", "41001"),
                        Map.entry("USER_DB_PORT_METRICS", "41002"));
        assertThat(DependencyEnv.variables("greeter", List.of(Map.entry("http", 40000))))
                .containsEntry("GREETER_URL", "http://127.0.0.1:40000");
        assertThat(DependencyEnv.variables("api", List.of(Map.entry("https", 40001))))
                .containsEntry("API_URL", "https://127.0.0.1:40001");
        assertThat(DependencyEnv.variables("worker", List.of())).as("no ports, nothing to reach").isEmpty();
    }
}
