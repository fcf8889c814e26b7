package io.wharf.agent.config;

import io.wharf.model.Kind;
import io.wharf.model.Resource;
import java.util.Optional;

/**
 * Where the agent reads configs and secrets: the server's API in a running agent, a map in tests.
 * Empty when the resource does not exist; an unreachable source throws.
 */
@FunctionalInterface
public interface ConfigSource {
    /** {@code kind} is {@link Kind#CONFIG} or {@link Kind#SECRET}. */
    Optional<Resource> find(Kind kind, String namespace, String name);
}
