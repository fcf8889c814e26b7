package io.wharf.model.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.Resource;
import io.wharf.model.Service;
import io.wharf.model.codec.Decoded;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.model.task.TaskLifecycle;
import io.wharf.model.task.TaskSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The short form, the long form and the canonical JSON form all normalize to the same spec. */
class TaskFormsTest {

    static Service service(String yaml) {
        Decoded<StackDocument> d = StackFile.parse(yaml, "t.yaml");
        assertThat(d.problems()).isEmpty();
        return (Service) d.value().resources().get(0);
    }

    static final String SHORT = """
            stack: s
            services:
              web:
                driver: docker
                image: nginx:1.27
                command: nginx -g 'daemon off;'
                env: {MODE: prod}
                ports: [{name: http, port: 80}]
                resources: {cpu: 0.25, memory: 64Mi}
                health: {path: /health}
                stopSignal: QUIT
            """;

    static final String LONG = """
            stack: s
            services:
              web:
                env: {MODE: prod}
                tasks:
                  web:
                    lifecycle: main
                    driver: docker
                    image: nginx:1.27
                    command: [nginx, -g, daemon off;]
                    ports: [{name: http, port: 80, protocol: tcp}]
                    resources: {cpu: 250m, memory: 67108864}
                    health:
                      liveness: {type: http, path: /health, port: http}
                      readiness: {type: http, path: /health, port: 80}
                    stopSignal: SIGQUIT
            """;

    @Test
    void shortAndLongFormsNormalizeToTheSameTasks() {
        Service shortForm = service(SHORT);
        Service longForm = service(LONG.replace("port: 80}", "port: http}"));
        assertThat(shortForm.spec()).isEqualTo(longForm.spec());
        TaskSpec t = shortForm.spec().tasks().get(0);
        assertThat(t.name()).isEqualTo("web");
        assertThat(t.lifecycle()).isEqualTo(TaskLifecycle.MAIN);
        assertThat(t.stopSignal()).isEqualTo("SIGQUIT");
    }

    @Test
    void numericProbePortsStayNumbers() {
        assertThat(service(LONG).spec().tasks().get(0).health().readiness().port()).isEqualTo("80");
    }

    @Test
    void theCanonicalJsonOfAStackServiceDecodesToTheSameResource() {
        Service s = service(SHORT);
        byte[] json = ResourceCodec.toJson(s);
        Decoded<Resource> back = ResourceCodec.fromJson(json);
        assertThat(back.problems()).isEmpty();
        assertThat(back.value()).isEqualTo(s);
        assertThat(new String(json)).contains("\"tasks\":[{\"name\":\"web\",\"lifecycle\":\"main\",\"driver\":\"docker\"");
    }

    @Test
    void sharedEnvIsMergedIntoEveryTaskAndTheTaskWins() {
        Service s = service("""
                stack: s
                services:
                  web:
                    env: {A: shared, B: shared}
                    tasks:
                      main: {command: /bin/main, env: {B: own}}
                      side: {lifecycle: sidecar, command: /bin/side}
                """);
        assertThat(s.spec().tasks()).extracting(TaskSpec::env).containsExactly(
                java.util.Map.of("A", "shared", "B", "own"), java.util.Map.of("A", "shared", "B", "shared"));
    }

    @Test
    void sharedStopSettingsApplyToEveryTaskUnlessTheTaskSaysOtherwise() {
        Service s = service("""
                stack: s
                services:
                  web:
                    stopGracePeriod: 1m
                    stopSignal: int
                    tasks:
                      main: {command: /bin/main, stopSignal: SIGQUIT}
                      side: {lifecycle: sidecar, command: /bin/side, stopGracePeriod: 5s}
                """);
        assertThat(s.spec().tasks()).extracting(TaskSpec::stopGracePeriod, TaskSpec::stopSignal).containsExactly(
                org.assertj.core.groups.Tuple.tuple(java.time.Duration.ofMinutes(1), "SIGQUIT"),
                org.assertj.core.groups.Tuple.tuple(java.time.Duration.ofSeconds(5), "SIGINT"));
    }

    @Test
    void commandStringsAreSplitLikeAShell() {
        Service s = service("""
                stack: s
                services:
                  web: {command: "/bin/sh -c 'echo hello world' \\"a b\\"  x"}
                """);
        assertThat(((io.wharf.model.task.ProcessDriver) s.spec().tasks().get(0).driver()).command())
                .isEqualTo(List.of("/bin/sh", "-c", "echo hello world", "a b", "x"));
    }
}
