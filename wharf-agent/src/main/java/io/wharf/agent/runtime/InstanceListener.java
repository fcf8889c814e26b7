package io.wharf.agent.runtime;

/** Hears instance state changes (and, as a {@link TaskListener}, those of its tasks). */
public interface InstanceListener extends TaskListener {
    void onInstanceEvent(InstanceEvent event);
}
