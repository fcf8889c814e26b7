package io.wharf.agent.config;

import io.wharf.client.ApiException;
import io.wharf.client.ResourceClient;
import io.wharf.model.Kind;
import io.wharf.model.Resource;
import java.util.Optional;

/**
 * Configs and secrets read from the server's API; a 404 is "does not exist". Secrets are read
 * through the guarded reveal path (other reads show their values redacted). A revision pinned by
 * an instance's template is read from {@code .../revisions/{revision}} (the server keeps it).
 */
public record ApiConfigSource(ResourceClient resources) implements ConfigSource {
    @Override
    public Optional<Resource> find(Kind kind, String namespace, String name) {
        try {
            return Optional.of(kind == Kind.SECRET ? resources.revealSecret(namespace, name)
                    : resources.get(kind, namespace, name));
        } catch (ApiException e) {
            if (e.status() == 404) return Optional.empty();
            throw e;
        }
    }

    @Override
    public Optional<Resource> find(Kind kind, String namespace, String name, long revision) {
        if (revision == 0) return find(kind, namespace, name);
        try {
            return Optional.of(resources.inputAt(kind, namespace, name, revision));
        } catch (ApiException e) {
            if (e.status() == 404) return Optional.empty();
            throw e;
        }
    }
}
