package io.wharf.agent.health;

/** A failing liveness check restarts the task; readiness only gates traffic. */
public enum CheckKind { LIVENESS, READINESS }
