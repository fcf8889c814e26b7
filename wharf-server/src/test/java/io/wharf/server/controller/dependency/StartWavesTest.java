package io.wharf.server.controller.dependency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartWavesTest {

  @Test
  void independentBranchesShareAWaveAndDependentsComeAfterTheirDependencies() {
    Map<String, List<String>> deps = new LinkedHashMap<>();
    deps.put("frontend", List.of("api"));
    deps.put("api", List.of("db", "cache"));
    deps.put("db", List.of());
    deps.put("cache", List.of());
    deps.put("worker", List.of("db"));
    List<List<String>> waves = StartWaves.of(deps);
    assertThat(waves).containsExactly(List.of("db", "cache"), List.of("api", "worker"), List.of("frontend"));
    assertThat(StartWaves.reversed(waves))
        .containsExactly(List.of("frontend"), List.of("api", "worker"), List.of("db", "cache"));
  }

  @Test
  void dependenciesOutsideTheGivenNamesAreIgnored() {
    Map<String, List<String>> deps = new LinkedHashMap<>();
    deps.put("api", List.of("shared-db"));
    assertThat(StartWaves.of(deps)).containsExactly(List.of("api"));
  }

  @Test
  void aCycleIsRefusedNamingItsMembers() {
    Map<String, List<String>> deps = new LinkedHashMap<>();
    deps.put("a", List.of("b"));
    deps.put("b", List.of("a"));
    deps.put("c", List.of());
    assertThatThrownBy(() -> StartWaves.of(deps)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dependency cycle among a, b");
  }
}
