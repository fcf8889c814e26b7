package io.wharf.cli.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RolloutWaitTest {
  static JsonNode view(long rolloutRevision, String phase) throws Exception {
    return new ObjectMapper().readTree("""
        {"template": "aaa", "rollout": {"revision": %d, "hash": "aaa", "phase": "%s"}, "history": []}"""
        .formatted(rolloutRevision, phase));
  }

  @Test
  void aServiceWhoseConfigChangedWaitsForARolloutStartedAfterTheApply() throws Exception {
    assertThat(RolloutWait.state(view(40, "succeeded"), 50, true)).isEqualTo(RolloutWait.State.PENDING);
    assertThat(RolloutWait.state(view(52, "progressing"), 50, true)).isEqualTo(RolloutWait.State.PENDING);
    assertThat(RolloutWait.state(view(52, "succeeded"), 50, true)).isEqualTo(RolloutWait.State.SUCCEEDED);
  }

  @Test
  void aServiceWhoseOwnSpecChangedWithoutANewTemplateIsDoneWithTheCurrentRollout() throws Exception {
    assertThat(RolloutWait.state(view(40, "succeeded"), 50, false)).isEqualTo(RolloutWait.State.SUCCEEDED);
  }
}
