package io.wharf.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryBudgetTest {
  private static final long SECOND = 1_000_000_000L;

  private static int retriesGranted(RetryBudget budget, long now, int attempts) {
    int granted = 0;
    for (int i = 0; i < attempts; i++) {
      if (budget.tryRetry(now)) {
        granted++;
      }
    }
    return granted;
  }

  @Test
  void retriesAreBoundedByARatioOfRequestsPlusAMinimum() {
    RetryBudget budget = new RetryBudget(0.2, 10);
    long now = 5 * SECOND;
    for (int i = 0; i < 100; i++) {
      budget.requested(now);
    }
    assertThat(retriesGranted(budget, now, 100)).isEqualTo(30); // 20% of 100 + 10
  }

  @Test
  void aQuietGatewayStillGetsTheMinimum() {
    RetryBudget budget = new RetryBudget(0.2, 3);
    assertThat(retriesGranted(budget, SECOND, 10)).isEqualTo(3);
  }

  @Test
  void theBudgetRefillsEachSecond() {
    RetryBudget budget = new RetryBudget(0.0, 2);
    assertThat(retriesGranted(budget, SECOND, 5)).isEqualTo(2);
    assertThat(retriesGranted(budget, SECOND + SECOND / 2, 5)).isZero();
    assertThat(retriesGranted(budget, 2 * SECOND + 1, 5)).isEqualTo(2);
  }
}
