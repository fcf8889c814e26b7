package io.wharf.model;

import java.util.Locale;
import java.util.Optional;

/** Every kind of resource Wharf stores. The order is stable; tools may list kinds in it. */
public enum Kind implements WireValue {
    NAMESPACE("namespaces", "Namespace", false, Namespace.class),
    STACK("stacks", "Stack", true, Stack.class),
    SERVICE("services", "Service", true, Service.class),
    JOB("jobs", "Job", true, Job.class),
    CRON_JOB("cronjobs", "CronJob", true, CronJob.class),
    ROUTE("routes", "Route", true, Route.class),
    CONFIG("configs", "Config", true, Config.class),
    SECRET("secrets", "Secret", true, Secret.class),
    ENDPOINT("endpoints", "Endpoint", true, Endpoint.class),
    NODE("nodes", "Node", false, Node.class),
    INSTANCE("instances", "Instance", true, Instance.class),
    EVENT("events", "Event", true, Event.class);

    private final String plural;
    private final String displayName;
    private final boolean namespaced;
    private final Class<? extends Resource> type;

    Kind(String plural, String displayName, boolean namespaced, Class<? extends Resource> type) {
        this.plural = plural;
        this.displayName = displayName;
        this.namespaced = namespaced;
        this.type = type;
    }

    /** The URL path segment: {@code cronjobs}. */
    public String plural() { return plural; }

    /** The JSON {@code kind} field: {@code CronJob}. */
    public String displayName() { return displayName; }

    /** False for cluster-scoped kinds (Namespace, Node), whose metadata.namespace is null. */
    public boolean namespaced() { return namespaced; }

    public Class<? extends Resource> type() { return type; }

    @Override public String wire() { return displayName; }

    /** Accepts the plural, the singular and the display name, in any case: cronjobs, cronjob, CronJob. */
    public static Optional<Kind> parse(String s) {
        if (s == null) return Optional.empty();
        String t = s.trim().toLowerCase(Locale.ROOT);
        for (Kind k : values()) {
            String display = k.displayName.toLowerCase(Locale.ROOT);
            if (t.equals(k.plural) || t.equals(display) || t.equals(k.name().toLowerCase(Locale.ROOT))) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
