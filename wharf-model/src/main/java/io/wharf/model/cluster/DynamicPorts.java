package io.wharf.model.cluster;

/**
 * The host ports the scheduler hands out for ports without a fixed number ("dynamic"), on every
 * node. Agents report which of them something else already holds on their node
 * ({@link NodeStatus#portsInUse()}), and the scheduler skips those.
 */
public final class DynamicPorts {
    private DynamicPorts() {}

    public static final int FIRST = 20000;
    public static final int LAST = 32000;

    public static boolean contains(int port) {
        return port >= FIRST && port <= LAST;
    }
}
