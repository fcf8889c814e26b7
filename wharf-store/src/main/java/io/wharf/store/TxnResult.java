package io.wharf.store;

/**
 * The outcome of a transaction: whether its compares held, and the store revision after it
 * (the new revision when it changed something, else the current one).
 */
public record TxnResult(boolean succeeded, long revision) {}
