package io.wharf.model.task;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.wharf.model.Frozen;
import java.util.List;

/**
 * A JVM started by the agent: either {@code jar} (java -jar) or {@code mainClass} with a
 * {@code classpath}; {@code jvmOptions} go before, {@code args} after.
 */
@JsonPropertyOrder({"driver"})
public record JavaDriver(String jar, String mainClass, List<String> classpath, List<String> jvmOptions,
                         List<String> args) implements DriverConfig {
    public JavaDriver {
        classpath = Frozen.list(classpath);
        jvmOptions = Frozen.list(jvmOptions);
        args = Frozen.list(args);
    }

    @Override public String driverName() { return "java"; }
}
