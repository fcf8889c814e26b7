package io.wharf.agent.ambassador;

import java.util.Objects;

/** What an ambassador stands for: one named port of one service in one namespace. */
public record AmbassadorKey(String namespace, String service, String port) {
    public AmbassadorKey {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(port, "port");
    }

    /** {@code ns/service/port}, the key in the agent's ambassador file. */
    @Override
    public String toString() {
        return namespace + "/" + service + "/" + port;
    }

    static AmbassadorKey parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length != 3) throw new IllegalArgumentException("not ns/service/port: " + text);
        return new AmbassadorKey(parts[0], parts[1], parts[2]);
    }
}
