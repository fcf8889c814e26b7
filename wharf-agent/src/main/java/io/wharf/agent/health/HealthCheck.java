package io.wharf.agent.health;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/** What one check probes. */
public sealed interface HealthCheck {
    /** GET {@code uri}; a 2xx or 3xx answer is healthy. */
    record Http(URI uri) implements HealthCheck {
        public Http { Objects.requireNonNull(uri, "uri"); }
    }

    /** A TCP connection to {@code host:port} opens. */
    record Tcp(String host, int port) implements HealthCheck {
        public Tcp { Objects.requireNonNull(host, "host"); }
    }

    /** {@code command} exits 0 inside the task (through the driver's exec). */
    record Command(List<String> command) implements HealthCheck {
        public Command {
            command = List.copyOf(command);
            if (command.isEmpty()) throw new IllegalArgumentException("empty health check command");
        }
    }
}
