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

    /**
     * As it was at {@code revision} (a revision a service's template took; 0 = as it is now).
     * Empty when that revision is not kept. A source without history answers as it is now.
     */
    default Optional<Resource> find(Kind kind, String namespace, String name, long revision) {
        return find(kind, namespace, name);
    }
}
