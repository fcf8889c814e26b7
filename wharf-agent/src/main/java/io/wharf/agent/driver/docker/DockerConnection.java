package io.wharf.agent.driver.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the Docker Engine is and which API version to speak: {@code host} is
 * {@code unix:///var/run/docker.sock} or another socket; the version is pinned (Debian 12's
 * dockerd 20.10 speaks 1.41) so a newer client never asks for what the daemon lacks.
 */
public record DockerConnection(String host, String apiVersion) {
    public static final String DEFAULT_API_VERSION = "1.41";

    public DockerConnection {
        Objects.requireNonNull(host, "host");
        if (apiVersion == null) apiVersion = DEFAULT_API_VERSION;
    }

    public static DockerConnection localDefault() {
        return new DockerConnection("unix:///var/run/docker.sock", DEFAULT_API_VERSION);
    }

    /** A new client for requests (a pool of 64 connections); the caller closes it. */
    DockerClient open() {
        return open(64);
    }

    /**
     * A new client whose pool holds up to {@code maxConnections} connections (total and to the
     * daemon: there is one route); the caller closes it. A followed log holds its connection for the
     * container's life, so the client for log streams needs one per container the node may run.
     */
    DockerClient open(int maxConnections) {
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host).withApiVersion(apiVersion).withDockerTlsVerify(false).build();
        var http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost())
                .maxConnections(maxConnections).connectionTimeout(Duration.ofSeconds(5)).build();
        return DockerClientImpl.getInstance(config, http);
    }
}
