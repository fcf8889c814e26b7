package io.wharf.model.cluster;

/**
 * What operators want of a node: {@code drain} moves its instances away and stops new
 * placements; {@code eligible} false stops new placements but leaves running instances alone.
 */
public record NodeSpec(boolean drain, boolean eligible) {
    public static final NodeSpec DEFAULT = new NodeSpec(false, true);

    /** A node that is eligible unless drained. */
    public NodeSpec(boolean drain) {
        this(drain, true);
    }

    /** Whether the scheduler may place new instances here. */
    public boolean schedulable() {
        return eligible && !drain;
    }
}
