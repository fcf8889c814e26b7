package io.wharf.model.discovery;

/** Nothing is observed about an external endpoint: Wharf does not probe what it does not run. */
public record EndpointStatus() {
    public static final EndpointStatus EMPTY = new EndpointStatus();
}
