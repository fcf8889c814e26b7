package io.wharf.agent.runtime;

import io.wharf.agent.driver.DriverSettings;
import io.wharf.agent.driver.StartResult;
import io.wharf.agent.driver.TaskConfig;
import io.wharf.agent.driver.TaskId;
import io.wharf.agent.driver.process.ProcessDriver;
import io.wharf.agent.logs.TaskLogStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in agent process for {@link AgentKillTest}: starts one ticking task through the process
 * driver, persists its handle to {@code <dir>/handle} and waits to be killed.
 */
public final class StandInAgent {
    private StandInAgent() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        var logs = new TaskLogStore(dir.resolve("logs"));
        var driver = new ProcessDriver(logs, dir.resolve("state"), dir.resolve("volumes"), InstantSource.system());
        var config = TaskConfig.of(new TaskId("ticker-1", "main"), new DriverSettings.Process(
                List.of("sh", "-c", "i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.05; done"), null));
        var started = (StartResult.Started) driver.start(config);
        Path tmp = dir.resolve("handle.tmp");
        Files.writeString(tmp, started.handle().toText());
        Files.move(tmp, dir.resolve("handle"), StandardCopyOption.ATOMIC_MOVE);
        new CountDownLatch(1).await();
    }
}
