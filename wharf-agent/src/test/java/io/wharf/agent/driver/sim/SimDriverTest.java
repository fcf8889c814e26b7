package io.wharf.agent.driver.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.agent.driver.DriverSettings;
import io.wharf.agent.driver.ExitResult;
import io.wharf.agent.driver.StartResult;
import io.wharf.agent.driver.TaskConfig;
import io.wharf.agent.driver.TaskHandle;
import io.wharf.agent.driver.TaskId;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimDriverTest {
    private final SimDriver driver = new SimDriver(InstantSource.system());

    private TaskHandle started(String instance, Duration failAfter) {
        StartResult r = driver.start(TaskConfig.of(new TaskId(instance, "main"), new DriverSettings.Sim(failAfter)));
        assertThat(r).isInstanceOf(StartResult.Started.class);
        return ((StartResult.Started) r).handle();
    }

    @Test
    void fingerprintSaysPresent() {
        assertThat(driver.fingerprint().available()).isTrue();
        assertThat(driver.fingerprint().driver()).isEqualTo("sim");
    }

    @Test
    void aStartedTaskRunsUntilStopped() {
        TaskHandle h = started("web-1", null);
        assertThat(driver.wait(h)).isNotDone();
        assertThat(driver.recover(h)).contains(h);
        assertThat(driver.running()).isEqualTo(1);

        driver.stop(h, Duration.ofSeconds(1));

        assertThat(driver.wait(h).join().exitCode()).isEqualTo(143);
        assertThat(driver.recover(h)).isEmpty();
        assertThat(driver.running()).isZero();
    }

    @Test
    void aConfiguredFailureEndsTheTaskWithExitCodeOne() {
        TaskHandle h = started("web-2", Duration.ofMillis(50));
        await().atMost(Duration.ofSeconds(5)).until(() -> driver.wait(h).isDone());
        ExitResult exit = driver.wait(h).join();
        assertThat(exit.exitCode()).isEqualTo(1);
        assertThat(exit.message()).isEqualTo("simulated failure after 50 ms");
    }

    @Test
    void destroyForgetsTheTask() {
        TaskHandle h = started("web-3", null);
        driver.destroy(h);
        assertThat(driver.stats(h)).isEmpty();
        assertThat(driver.wait(h).join().message()).isEqualTo("simulated task is gone");
    }

    @Test
    void otherDriversSettingsAreRejected() {
        StartResult r = driver.start(TaskConfig.of(new TaskId("web-4", "main"),
                new DriverSettings.Process(List.of("/bin/true"), null)));
        assertThat(r).isEqualTo(new StartResult.Rejected("the sim driver runs sim tasks, got process"));
    }
}
