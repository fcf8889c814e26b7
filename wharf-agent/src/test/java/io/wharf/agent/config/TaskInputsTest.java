package io.wharf.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.agent.driver.Mount;
import io.wharf.model.Config;
import io.wharf.model.Kind;
import io.wharf.model.Metadata;
import io.wharf.model.Resource;
import io.wharf.model.Secret;
import io.wharf.model.config.ConfigSpec;
import io.wharf.model.config.SecretSpec;
import io.wharf.model.config.SecretValue;
import io.wharf.model.task.ConfigMount;
import io.wharf.model.task.DockerDriver;
import io.wharf.model.task.NetworkMode;
import io.wharf.model.task.ProcessDriver;
import io.wharf.model.task.TaskLifecycle;
import io.wharf.model.task.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskInputsTest {
    @TempDir Path dir;

    private final Map<String, Resource> stored = new HashMap<>();
    private final TaskInputs inputs = new TaskInputs((kind, ns, name) -> Optional.ofNullable(stored.get(kind + "/" + ns + "/" + name)));

    @Test
    void aProcessTaskGetsFilesWithTheirModesAndTheirPlacesInEnv() throws Exception {
        config("page", "hello");
        secret("db", "pw-1");
        var prepared = inputs.prepare(dir, "default", task(process(),
                List.of(new ConfigMount("page", null, "/run/configs/page", 0444)),
                List.of(new ConfigMount("db", null, "/run/secrets/db", 0400))));

        Path page = dir.resolve("web/configs/page");
        Path db = dir.resolve("web/secrets/db");
        assertThat(prepared.env()).isEqualTo(Map.of("WHARF_CONFIG_PAGE", page.toString(), "WHARF_SECRET_DB", db.toString()));
        assertThat(prepared.mounts()).isEmpty();
        assertThat(Files.readString(page)).isEqualTo("hello");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(page))).isEqualTo("r--r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db))).isEqualTo("r--------");
    }

    @Test
    void aDockerTaskGetsReadOnlyMountsAtTheirPaths() {
        config("page", "hello");
        var prepared = inputs.prepare(dir, "default", task(new DockerDriver("busybox", List.of(), List.of("sh"),
                NetworkMode.HOST, false), List.of(new ConfigMount("page", null, "/etc/app/page.txt", 0440)), List.of()));

        assertThat(prepared.mounts()).containsExactly(
                new Mount(Mount.Kind.HOST_PATH, dir.resolve("web/configs/page").toString(), "/etc/app/page.txt", true));
        assertThat(prepared.env()).isEqualTo(Map.of("WHARF_CONFIG_PAGE", "/etc/app/page.txt"));
    }

    @Test
    void aSecretWithSeveralEntriesIsADirectoryOfFilesOrOneVariablePerEntry() throws Exception {
        stored.put("SECRET/default/db", new Secret(Metadata.of("db", "default"), new SecretSpec(null,
                Map.of("user", new SecretValue("app"), "password", new SecretValue("pw-2")), null)));
        var prepared = inputs.prepare(dir, "default", task(process(), List.of(), List.of(
                new ConfigMount("db", null, "/run/secrets/db", 0400), new ConfigMount("db", "DB", null, 0))));

        assertThat(Files.readString(dir.resolve("web/secrets/db/password"))).isEqualTo("pw-2");
        assertThat(Files.readString(dir.resolve("web/secrets/db/user"))).isEqualTo("app");
        assertThat(prepared.env()).containsEntry("DB_PASSWORD", "pw-2").containsEntry("DB_USER", "app");
        assertThat(prepared.toString()).contains("DB_PASSWORD").doesNotContain("pw-2");
        var config = io.wharf.agent.driver.TaskConfig.of(new io.wharf.agent.driver.TaskId("i", "web"),
                new io.wharf.agent.driver.DriverSettings.Process(List.of("true"), null)).withEnv(prepared.env());
        assertThat(config.toString()).contains("DB_PASSWORD").doesNotContain("pw-2");
    }

    @Test
    void aMissingConfigIsUnavailableNamingItAndASecretsValueIsNeverInTheReason() {
        secret("db", "pw-3");
        assertThatThrownBy(() -> inputs.prepare(dir, "default", task(process(),
                List.of(new ConfigMount("page", "PAGE", null, 0)), List.of())))
                .isInstanceOfSatisfying(TaskInputs.Unavailable.class, u -> assertThat(u.missing()).isTrue())
                .hasMessage("config page not found in namespace default");
        stored.put("SECRET/default/empty", new Secret(Metadata.of("empty", "default"), new SecretSpec(null, Map.of(), "x.txt")));
        assertThatThrownBy(() -> inputs.prepare(dir, "default", task(process(), List.of(),
                List.of(new ConfigMount("empty", "E", null, 0)))))
                .isInstanceOfSatisfying(TaskInputs.Unavailable.class, u -> assertThat(u.missing()).isTrue())
                .hasMessage("secret empty has no data");
    }

    @Test
    void theDigestChangesWithAValueAndOnlyThen() {
        config("page", "v1");
        var tasks = List.of(task(process(), List.of(new ConfigMount("page", "PAGE", null, 0)), List.of()));
        String first = inputs.digest("default", tasks);
        assertThat(inputs.digest("default", tasks)).isEqualTo(first);
        config("page", "v2");
        assertThat(inputs.digest("default", tasks)).isNotEqualTo(first);
        assertThat(TaskInputs.uses(tasks, Kind.CONFIG, "page")).isTrue();
        assertThat(TaskInputs.uses(tasks, Kind.SECRET, "page")).isFalse();
    }

    private void config(String name, String data) {
        stored.put("CONFIG/default/" + name, new Config(Metadata.of(name, "default"), new ConfigSpec(data, null)));
    }

    private void secret(String name, String value) {
        stored.put("SECRET/default/" + name, new Secret(Metadata.of(name, "default"), new SecretSpec(new SecretValue(value), Map.of(), null)));
    }

    private static ProcessDriver process() {
        return new ProcessDriver(List.of("true"), List.of(), null);
    }

    private static TaskSpec task(io.wharf.model.task.DriverConfig driver, List<ConfigMount> configs, List<ConfigMount> secrets) {
        return new TaskSpec("web", TaskLifecycle.MAIN, driver, Map.of(), null, List.of(), List.of(), configs, secrets,
                null, null, null);
    }
}
