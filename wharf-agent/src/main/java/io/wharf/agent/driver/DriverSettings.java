package io.wharf.agent.driver;

import java.util.List;
import java.util.Objects;

/** The driver-specific part of a task: which program, image or jar. */
public sealed interface DriverSettings {
    /** The driver that understands these settings: process, java, docker or sim. */
    String driver();

    /** A host program: {@code command} is the program and its arguments; {@code workingDir} may be null. */
    record Process(List<String> command, String workingDir) implements DriverSettings {
        public Process {
            command = List.copyOf(command == null ? List.of() : command);
        }
        @Override public String driver() { return "process"; }
    }

    /**
     * A JVM: exactly one of {@code jar} and {@code mainClass}; {@code javaHome} null means the
     * agent's own JVM.
     */
    record Java(String jar, String mainClass, List<String> classpath, List<String> jvmOptions, List<String> args,
                String javaHome, String workingDir) implements DriverSettings {
        public Java {
            classpath = List.copyOf(classpath == null ? List.of() : classpath);
            jvmOptions = List.copyOf(jvmOptions == null ? List.of() : jvmOptions);
            args = List.copyOf(args == null ? List.of() : args);
        }
        @Override public String driver() { return "java"; }
    }

    /** A container; {@code hostNetwork} false means bridge networking with published ports. */
    record Docker(String image, List<String> entrypoint, List<String> command, boolean hostNetwork,
                  boolean privileged) implements DriverSettings {
        public Docker {
            Objects.requireNonNull(image, "image");
            entrypoint = List.copyOf(entrypoint == null ? List.of() : entrypoint);
            command = List.copyOf(command == null ? List.of() : command);
        }
        @Override public String driver() { return "docker"; }
    }

    /** A simulated task (tests, benchmarks): runs until stopped, or exits with code 1 after {@code failAfter} (null = never). */
    record Sim(java.time.Duration failAfter) implements DriverSettings {
        @Override public String driver() { return "sim"; }
    }
}
