package io.wharf.server.controller.dependency;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeletionOrderTest {
  static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");
  static final Duration GRACE = Duration.ofSeconds(2);

  @Test
  void aServiceWaitsWhileADeletingDependentExists() {
    assertThat(DeletionOrder.next(List.of("api"), true, null, GRACE, T0))
        .isEqualTo(new DeletionOrder.WaitForDependents(List.of("api")));
    assertThat(DeletionOrder.next(List.of("api"), true, T0, GRACE, T0))
        .isEqualTo(new DeletionOrder.WaitForDependents(List.of("api")));
  }

  @Test
  void withoutDependentsItMarksStoppingThenStopsItsInstances() {
    assertThat(DeletionOrder.next(List.of(), true, null, GRACE, T0)).isEqualTo(new DeletionOrder.MarkStopping());
    assertThat(DeletionOrder.next(List.of(), true, T0, GRACE, T0)).isEqualTo(new DeletionOrder.StopInstances());
  }

  @Test
  void itStaysForItsGracePeriodPlusTheMarginAfterItsInstancesWentThenGoes() {
    assertThat(DeletionOrder.next(List.of(), false, T0, GRACE, T0.plusSeconds(1)))
        .isEqualTo(new DeletionOrder.AwaitStopped(Duration.ofSeconds(2)));
    assertThat(DeletionOrder.next(List.of(), false, T0, GRACE, T0.plus(GRACE).plus(DeletionOrder.MARGIN)))
        .isEqualTo(new DeletionOrder.Remove());
  }

  @Test
  void aServiceWithoutInstancesStillMarksStoppingFirst() {
    assertThat(DeletionOrder.next(List.of(), false, null, GRACE, T0)).isEqualTo(new DeletionOrder.MarkStopping());
  }

  @Test
  void theLabelMarksADeletingService() {
    assertThat(DeletionOrder.marked(Map.of(DeletionOrder.LABEL, "true"))).isTrue();
    assertThat(DeletionOrder.marked(Map.of("wharf.io/stack", "shop"))).isFalse();
  }
}
