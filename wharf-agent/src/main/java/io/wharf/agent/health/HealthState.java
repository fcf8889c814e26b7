package io.wharf.agent.health;

/** UNKNOWN until enough results arrived (or while in the start period). */
public enum HealthState { UNKNOWN, HEALTHY, UNHEALTHY }
