package io.wharf.server.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.server.fixture.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
  final ManualClock clock = new ManualClock();
  final WorkQueue queue = new WorkQueue(clock, new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)));

  @Test
  void aKeyQueuedTwiceBeforeItIsTakenIsProcessedOnce() throws InterruptedException {
    queue.add("a");
    queue.add("b");
    queue.add("a");

    assertThat(queue.length()).isEqualTo(2);
    assertThat(queue.take()).isEqualTo("a");
    assertThat(queue.take()).isEqualTo("b");
    assertThat(queue.length()).isZero();
  }

  @Test
  void aKeyQueuedWhileBeingProcessedWaitsForDone() throws InterruptedException {
    queue.add("a");
    assertThat(queue.take()).isEqualTo("a");
    queue.add("a");
    queue.add("b");

    assertThat(queue.take()).as("a is still being processed").isEqualTo("b");
    assertThat(queue.length()).isZero();
    queue.done("a");
    assertThat(queue.take()).isEqualTo("a");
  }

  @Test
  void oneKeyIsNeverReconciledByTwoWorkersAtOnce() throws InterruptedException {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Reconciler slow = key -> {
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      firstStarted.countDown();
      release.await(10, TimeUnit.SECONDS);
      inFlight.decrementAndGet();
      runs.incrementAndGet();
      return Reconciler.DONE;
    };
    try (Controller c = new Controller("test", slow, queue, 4)) {
      queue.add("a");
      assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
      queue.add("a");
      queue.add("a");
      release.countDown();
      await().until(() -> runs.get() == 2);
      assertThat(maxInFlight.get()).isEqualTo(1);
    }
  }

  @Test
  void aFailingKeyIsRetriedWithExponentialBackoffOnTheClock() {
    List<String> attempts = new CopyOnWriteArrayList<>();
    Reconciler failingTwice = key -> {
      attempts.add(key);
      if (attempts.size() <= 2) {
        throw new IllegalStateException("not yet");
      }
      return Reconciler.DONE;
    };
    try (Controller c = new Controller("test", failingTwice, queue, 2)) {
      queue.add("a");
      await().until(() -> attempts.size() == 1 && queue.failures("a") == 1);
      clock.advance(Duration.ofMillis(99));
      queue.wake();
      await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> attempts.size() == 1);

      clock.advance(Duration.ofMillis(1));
      queue.wake();
      await().until(() -> attempts.size() == 2 && queue.failures("a") == 2);
      clock.advance(Duration.ofMillis(199));
      queue.wake();
      await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> attempts.size() == 2);

      clock.advance(Duration.ofMillis(1));
      queue.wake();
      await().until(() -> attempts.size() == 3);
      await().until(() -> queue.failures("a") == 0);
    }
  }

  @Test
  void backoffDoublesUpToItsCap() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
    assertThat(List.of(b.delay(1), b.delay(2), b.delay(3), b.delay(4), b.delay(5), b.delay(100)))
        .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
            Duration.ofMillis(800), Duration.ofSeconds(1), Duration.ofSeconds(1));
  }
}
