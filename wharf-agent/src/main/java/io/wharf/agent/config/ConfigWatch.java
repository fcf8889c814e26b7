package io.wharf.agent.config;

import io.wharf.agent.node.InstanceSupervisor;
import io.wharf.agent.watch.Following;
import io.wharf.client.WharfClient;
import io.wharf.client.watch.WatchEvent;
import io.wharf.client.watch.WatchRequest;
import io.wharf.model.Kind;

/**
 * Follows changes of configs and secrets (one watch of both kinds, every namespace) and tells the
 * supervisor which one changed, so instances waiting for it start at once. It restarts nothing:
 * a changed config reaches a service through its rollout (controller.rollout.TemplateInputs on
 * the server). Each time the watch (re)starts, every waiting instance tries again, so a change
 * made while the watch was down is not missed.
 *
 * <p>Concurrency: one virtual thread ({@link Following}); {@link #close()} ends it. The watch carries names only as
 * far as this class is concerned: values are read again through the supervisor's source.
 */
public final class ConfigWatch implements AutoCloseable {
    private final InstanceSupervisor supervisor;
    private final Following following;

    public ConfigWatch(WharfClient client, InstanceSupervisor supervisor) {
        this.supervisor = supervisor;
        this.following = new Following(client, "configs and secrets", () -> 0,
                from -> WatchRequest.of("configs", "secrets"), supervisor::recheckInputs, this::onEvent);
    }

    private void onEvent(WatchEvent event) {
        Kind kind = switch (event.kind()) {
            case "Config" -> Kind.CONFIG;
            case "Secret" -> Kind.SECRET;
            default -> null;
        };
        if (kind == null) return;
        var meta = event.object().path("metadata");
        String namespace = meta.path("namespace").asText();
        String name = meta.path("name").asText();
        // Reading values may take a moment: off the watch's thread, so events keep flowing.
        Thread.ofVirtual().name("config-changed-" + name).start(() -> supervisor.inputsChanged(kind, namespace, name,
                event.isDelete()));
    }

    @Override
    public void close() {
        following.close();
    }
}
