package io.wharf.agent.driver.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import io.wharf.agent.driver.DriverSettings;
import io.wharf.agent.driver.Mount;
import io.wharf.agent.driver.PortBinding;
import io.wharf.agent.driver.TaskConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns a {@link TaskConfig} into a container create command, or says why it cannot. */
final class ContainerSpecs {
    static final String LABEL_INSTANCE = "wharf.instance";
    static final String LABEL_TASK = "wharf.task";
    static final String LABEL_MANAGED = "wharf.managed";
    /** The Docker Engine refuses memory limits below 6 MiB. */
    static final long MIN_MEMORY = 6L << 20;

    private ContainerSpecs() {}

    /** A configuration problem Docker would only report as a failed start, found before creating anything. */
    static Optional<String> problem(TaskConfig config, DriverSettings.Docker d) {
        if (d.image().isBlank()) return Optional.of("missing image: a docker task needs an image");
        if (config.memoryBytes() > 0 && config.memoryBytes() < MIN_MEMORY) {
            return Optional.of("memory limit " + mib(config.memoryBytes()) + " is below the docker driver's minimum of 6Mi");
        }
        for (Mount m : config.mounts()) {
            if (m.kind() == Mount.Kind.HOST_PATH && !Files.exists(Path.of(m.source()))) {
                return Optional.of("host path of volume " + m.target() + " does not exist: " + m.source());
            }
        }
        return Optional.empty();
    }

    static CreateContainerCmd create(DockerClient client, TaskConfig config, DriverSettings.Docker d, String name) {
        var host = HostConfig.newHostConfig()
                .withNetworkMode(d.hostNetwork() ? "host" : "bridge")
                .withPrivileged(d.privileged());
        if (config.cpuMillis() > 0) host.withNanoCPUs(config.cpuMillis() * 1_000_000L);
        if (config.memoryBytes() > 0) host.withMemory(config.memoryBytes()).withMemorySwap(config.memoryBytes());
        List<Bind> binds = new ArrayList<>();
        List<com.github.dockerjava.api.model.Mount> volumes = new ArrayList<>();
        for (Mount m : config.mounts()) {
            if (m.kind() == Mount.Kind.HOST_PATH) {
                binds.add(new Bind(m.source(), new Volume(m.target()), m.readOnly() ? AccessMode.ro : AccessMode.rw));
            } else {
                volumes.add(new com.github.dockerjava.api.model.Mount().withType(MountType.VOLUME)
                        .withSource(m.source()).withTarget(m.target()).withReadOnly(m.readOnly()));
            }
        }
        if (!binds.isEmpty()) host.withBinds(binds);
        if (!volumes.isEmpty()) host.withMounts(volumes);
        List<ExposedPort> exposed = new ArrayList<>();
        if (!d.hostNetwork()) {
            var ports = new Ports();
            for (PortBinding p : config.ports()) {
                ExposedPort e = p.udp() ? ExposedPort.udp(p.taskPort()) : ExposedPort.tcp(p.taskPort());
                exposed.add(e);
                ports.bind(e, Ports.Binding.bindIpAndPort(p.hostIp(), p.hostPort()));
            }
            host.withPortBindings(ports);
        }
        List<String> env = config.effectiveEnv().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        CreateContainerCmd cmd = client.createContainerCmd(d.image())
                .withName(name)
                .withLabels(Map.of(LABEL_INSTANCE, config.id().instance(), LABEL_TASK, config.id().task(), LABEL_MANAGED, "true"))
                .withEnv(env)
                .withStopSignal("SIG" + config.stopSignal())
                .withHostConfig(host);
        if (!exposed.isEmpty()) cmd.withExposedPorts(exposed);
        if (!d.entrypoint().isEmpty()) cmd.withEntrypoint(d.entrypoint());
        if (!d.command().isEmpty()) cmd.withCmd(d.command());
        return cmd;
    }

    static String mib(long bytes) {
        return bytes % (1L << 20) == 0 ? (bytes >> 20) + "Mi" : bytes + " bytes";
    }
}
