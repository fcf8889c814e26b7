package io.wharf.model.routing;

/** How many ready endpoints the gateway currently has for the route. */
public record RouteStatus(int endpoints) {
    public static final RouteStatus EMPTY = new RouteStatus(0);
}
