package io.wharf.server.events;

/** What happened to the involved object. */
public enum EventType { Created, Updated, Deleted, Warning }
