package io.wharf.gateway.filter;

/** How a request ended: the status sent to the client and the endpoint that answered (or null). */
public record Outcome(int status, String upstream) {}
