package io.wharf.model.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.model.Frozen;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.model.task.RestartPolicy;
import io.wharf.model.task.TaskSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The part of a service's spec that its instances are made from: the tasks and the restart
 * policy, plus the restart marker ({@code restartedAt}, set by {@code wharf rollout restart}) and
 * the configs and secrets the tasks take ({@code inputs}: {@code config/NAME} or
 * {@code secret/NAME} to the stored revision the instances read; revisions, never values).
 * Changing any of it replaces every instance through a rollout; changing replicas, placement or
 * the update block does not. {@link #hash} names it on instances (label {@value #LABEL}).
 */
public record InstanceTemplate(List<TaskSpec> tasks, RestartPolicy restart, Instant restartedAt,
                               Map<String, Long> inputs) {
    /** The label that carries an instance's template hash. */
    public static final String LABEL = "wharf.io/template";

    public InstanceTemplate {
        tasks = Frozen.list(tasks);
        if (restart == null) restart = RestartPolicy.SERVICE_DEFAULT;
        inputs = Frozen.map(inputs == null ? Map.of() : inputs);
    }

    /** A template that takes no config or secret revisions. */
    public InstanceTemplate(List<TaskSpec> tasks, RestartPolicy restart, Instant restartedAt) {
        this(tasks, restart, restartedAt, Map.of());
    }

    /** The template of {@code spec} with the service status's restart marker (null = never restarted). */
    public static InstanceTemplate of(ServiceSpec spec, Instant restartedAt) {
        return new InstanceTemplate(spec.tasks(), spec.restart(), restartedAt);
    }

    /** The template of {@code spec} with the status's restart marker and input revisions. */
    public static InstanceTemplate ofService(ServiceSpec spec, ServiceStatus status) {
        return new InstanceTemplate(spec.tasks(), spec.restart(), status.restartedAt(), status.inputs());
    }

    /** The same tasks and restart policy under another restart marker. */
    public InstanceTemplate withRestartedAt(Instant at) {
        return new InstanceTemplate(tasks, restart, at, inputs);
    }

    /** The key of a config ({@code secret} false) or secret in {@link #inputs}. */
    public static String inputKey(boolean secret, String name) {
        return (secret ? "secret/" : "config/") + name;
    }

    /**
     * 12 hex characters of the SHA-256 of the template's JSON with object keys sorted, so equal
     * templates hash alike whatever order their fields were written in.
     */
    public String hash() {
        JsonNode tree = ResourceCodec.json().valueToTree(this);
        StringBuilder canonical = new StringBuilder();
        write(tree, canonical);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            out.append('{');
            for (String n : names) {
                out.append(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(n)).append(':');
                write(o.get(n), out);
                out.append(',');
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            node.forEach(e -> {
                write(e, out);
                out.append(',');
            });
            out.append(']');
        } else {
            out.append(node.toString());
        }
    }
}
