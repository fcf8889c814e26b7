package io.wharf.agent.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class BoundedStartsTest {
    private final FakeDriver fake = new FakeDriver();

    @Test
    void noMoreStartsRunAtOnceThanTheBoundAndTheRestFollowWhenSlotsFree() {
        Driver bounded = BoundedStarts.all(Map.of("fake", fake), 3).get("fake");
        fake.holdStarts();
        List<CompletableFuture<StartResult>> starts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            TaskConfig config = TaskConfig.of(new TaskId("inst-" + i, "main"), new DriverSettings.Process(List.of("true"), null));
            starts.add(CompletableFuture.supplyAsync(() -> bounded.start(config), r -> Thread.ofVirtual().start(r)));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> fake.startsInProgress() == 3);
        assertThat(starts).noneMatch(CompletableFuture::isDone);

        fake.releaseStarts();
        await().atMost(Duration.ofSeconds(5)).until(() -> starts.stream().allMatch(CompletableFuture::isDone));
        assertThat(starts).allSatisfy(s -> assertThat(s.join()).isInstanceOf(StartResult.Started.class));
        assertThat(fake.starts()).isEqualTo(10);
        assertThat(fake.mostStartsAtOnce()).isEqualTo(3);
    }

    @Test
    void recoveringAndStoppingDoNotWaitBehindHeldStarts() {
        Driver bounded = BoundedStarts.all(Map.of("fake", fake), 1).get("fake");
        var started = (StartResult.Started) bounded.start(TaskConfig.of(new TaskId("a", "main"),
                new DriverSettings.Process(List.of("true"), null)));
        fake.holdStarts();
        var held = CompletableFuture.runAsync(() -> bounded.start(TaskConfig.of(new TaskId("b", "main"),
                new DriverSettings.Process(List.of("true"), null))), r -> Thread.ofVirtual().start(r));
        await().atMost(Duration.ofSeconds(5)).until(() -> fake.startsInProgress() == 1);

        assertThat(bounded.recover(started.handle())).contains(started.handle());
        bounded.stop(started.handle(), Duration.ofSeconds(1));
        assertThat(bounded.wait(started.handle())).isCompleted();

        fake.releaseStarts();
        held.join();
    }

    @Test
    void aBoundBelowOneIsRefused() {
        assertThatThrownBy(() -> BoundedStarts.all(Map.of("fake", fake), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("start parallelism must be at least 1, got 0");
    }
}
