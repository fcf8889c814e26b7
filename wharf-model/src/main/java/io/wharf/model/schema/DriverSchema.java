package io.wharf.model.schema;

import io.wharf.model.document.Fields;
import io.wharf.model.task.DockerDriver;
import io.wharf.model.task.DriverConfig;
import io.wharf.model.task.JavaDriver;
import io.wharf.model.task.NetworkMode;
import io.wharf.model.task.ProcessDriver;
import io.wharf.model.task.SimDriver;
import io.wharf.model.validation.Suggestions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code driver} field and its settings, which sit flat in a task. Without {@code driver}
 * the driver is inferred: {@code image} means docker, {@code jar}/{@code mainClass} java,
 * {@code command} process. Settings of another driver are reported, not ignored.
 */
final class DriverSchema {
    private DriverSchema() {}

    static final List<String> DRIVERS = List.of("process", "docker", "java", "sim");
    private static final Map<String, List<String>> SETTINGS = Map.of(
            "process", List.of("command", "args", "workingDir"),
            "docker", List.of("image", "entrypoint", "command", "network", "privileged"),
            "java", List.of("jar", "mainClass", "classpath", "jvmOptions", "args"),
            "sim", List.of("failAfter"));

    /** Every field name a driver may use, plus "driver". */
    static final Set<String> ALL_FIELDS;

    static {
        Set<String> all = new LinkedHashSet<>();
        all.add("driver");
        SETTINGS.values().forEach(all::addAll);
        ALL_FIELDS = Set.copyOf(all);
    }

    /** The driver, or null when it could not be read (already reported). */
    static DriverConfig read(Fields f) {
        String driver = f.string("driver");
        if (driver != null && !DRIVERS.contains(driver)) {
            f.problem("driver", "must be one of process|docker|java|sim, got \"" + driver + "\"" + Suggestions.didYouMean(driver, DRIVERS));
            f.known(ALL_FIELDS.toArray(String[]::new));
            return null;
        }
        if (driver == null) {
            if (f.has("image")) driver = "docker";
            else if (f.has("jar") || f.has("mainClass")) driver = "java";
            else if (f.has("command")) driver = "process";
            else {
                f.problem("driver", "is required (process, docker or java)");
                f.known(ALL_FIELDS.toArray(String[]::new));
                return null;
            }
        }
        List<String> mine = SETTINGS.get(driver);
        for (String other : ALL_FIELDS) {
            if (!other.equals("driver") && !mine.contains(other) && f.has(other)) {
                f.problem(other, "not a setting of the " + driver + " driver (it takes " + String.join(", ", mine) + ")");
            }
        }
        return switch (driver) {
            case "process" -> {
                List<String> command = f.words("command");
                if (command.isEmpty() && !f.has("command")) f.problem("command", "is required for the process driver");
                else if (command.isEmpty()) f.problem("command", "must not be empty");
                yield new ProcessDriver(command, f.words("args"), f.string("workingDir"));
            }
            case "sim" -> new SimDriver(f.duration("failAfter", null));
            case "docker" -> {
                String image = f.required("image");
                if (image != null && (image.isBlank() || image.chars().anyMatch(Character::isWhitespace))) {
                    f.problem("image", "invalid image reference \"" + image + "\"");
                }
                yield new DockerDriver(image == null ? "" : image, f.words("entrypoint"), f.words("command"),
                        f.choice("network", NetworkMode.class, NetworkMode.BRIDGE), f.bool("privileged", false));
            }
            default -> {
                String jar = f.string("jar");
                String mainClass = f.string("mainClass");
                if (jar == null && mainClass == null) f.problem("jar", "is required for the java driver (or mainClass)");
                if (jar != null && mainClass != null) f.problem("mainClass", "use either jar or mainClass, not both");
                if (mainClass != null && !mainClass.matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*")) {
                    f.problem("mainClass", "invalid class name \"" + mainClass + "\"");
                }
                List<String> classpath = f.has("classpath") && f.take("classpath") instanceof io.wharf.model.document.Tree.Scalar s
                        ? new ArrayList<>(Arrays.asList(s.text().split(":"))) : f.strings("classpath");
                if (mainClass != null && classpath.isEmpty()) f.problem("classpath", "is required with mainClass");
                yield new JavaDriver(jar, mainClass, classpath, f.words("jvmOptions"), f.words("args"));
            }
        };
    }
}
