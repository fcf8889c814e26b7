package io.wharf.agent.driver.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.agent.driver.DriverSettings;
import io.wharf.agent.driver.StartResult;
import io.wharf.agent.driver.TaskConfig;
import io.wharf.agent.driver.TaskHandle;
import io.wharf.agent.driver.TaskId;
import io.wharf.agent.logs.LogLine;
import io.wharf.agent.logs.LogStream;
import io.wharf.agent.logs.TaskLogStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaDriverTest {
    private static final String TEST_CLASSES = Path.of(Greeter.class.getProtectionDomain().getCodeSource().getLocation()
            .getPath()).toString();

    @TempDir Path dir;
    private TaskLogStore logs;
    private JavaDriver driver;
    private final List<TaskHandle> started = new ArrayList<>();

    @BeforeEach
    void setUp() {
        logs = new TaskLogStore(dir.resolve("logs"));
        driver = new JavaDriver(logs, dir.resolve("state"), dir.resolve("volumes"), InstantSource.system());
    }

    @AfterEach
    void tearDown() {
        started.forEach(driver::destroy);
        logs.close();
    }

    private static TaskConfig mainClass(List<String> jvmOptions, List<String> args) {
        return TaskConfig.of(new TaskId("api-1", "main"), new DriverSettings.Java(null, Greeter.class.getName(),
                List.of(TEST_CLASSES), jvmOptions, args, null, null));
    }

    private TaskHandle start(TaskConfig config) {
        StartResult r = driver.start(config);
        assertThat(r).isInstanceOf(StartResult.Started.class);
        TaskHandle h = ((StartResult.Started) r).handle();
        started.add(h);
        return h;
    }

    private List<String> stdout(TaskConfig config) {
        return logs.reader(config.id()).read(LogStream.STDOUT, null).stream().map(LogLine::text).toList();
    }

    @Test
    void runsAMainClassWithTheHeapSizedFromTheMemoryLimitAndStopsGracefully() {
        var config = mainClass(List.of("-Dgreeting=hi"), List.of("one", "two")).withLimits(0, 128L << 20);
        TaskHandle h = start(config);
        assertThat(h.driver()).isEqualTo("java");

        await().untilAsserted(() -> assertThat(stdout(config))
                .containsExactly("jvm=[-Xmx96m, -Dgreeting=hi]", "args=[one, two]"));
        driver.stop(h, Duration.ofSeconds(10));

        assertThat(driver.wait(h).join().exitCode()).isEqualTo(143);
        await().untilAsserted(() -> assertThat(stdout(config)).endsWith("bye"));
    }

    @Test
    void ownHeapOptionWinsOverTheComputedOne() {
        var config = mainClass(List.of("-Xmx64m"), List.of("--exit")).withLimits(0, 512L << 20);
        TaskHandle h = start(config);
        assertThat(driver.wait(h).join().exitCode()).isZero();
        await().untilAsserted(() -> assertThat(stdout(config)).startsWith("jvm=[-Xmx64m]"));
    }

    @Test
    void runsAJar() throws IOException {
        Path jar = dir.resolve("greeter.jar");
        var manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Greeter.class.getName());
        String entry = Greeter.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); var jarOut = new JarOutputStream(out, manifest)) {
            jarOut.putNextEntry(new JarEntry(entry));
            jarOut.write(Files.readAllBytes(Path.of(TEST_CLASSES, entry)));
            jarOut.closeEntry();
        }
        var config = TaskConfig.of(new TaskId("api-1", "main"),
                new DriverSettings.Java(jar.toString(), null, List.of(), List.of(), List.of("--exit"), null, null));
        TaskHandle h = start(config);
        assertThat(driver.wait(h).join().exitCode()).isZero();
        await().untilAsserted(() -> assertThat(stdout(config)).contains("args=[--exit]"));
    }

    @Test
    void memoryBelowTheMinimumIsRejected() {
        assertThat(driver.start(mainClass(List.of(), List.of()).withLimits(0, 16L << 20)))
                .isEqualTo(new StartResult.Rejected("memory limit 16Mi is below the java driver's minimum of 32Mi"));
    }

    @Test
    void missingJarIsRejected() {
        var config = TaskConfig.of(new TaskId("api-1", "main"),
                new DriverSettings.Java("/no/such.jar", null, List.of(), List.of(), List.of(), null, null));
        assertThat(driver.start(config)).isEqualTo(new StartResult.Rejected("jar not found: /no/such.jar"));
    }

    @Test
    void jarAndMainClassTogetherAreRejected() {
        var config = TaskConfig.of(new TaskId("api-1", "main"),
                new DriverSettings.Java("/x.jar", "a.Main", List.of(), List.of(), List.of(), null, null));
        assertThat(driver.start(config)).isEqualTo(new StartResult.Rejected("a java task needs exactly one of jar and mainClass"));
    }
}
