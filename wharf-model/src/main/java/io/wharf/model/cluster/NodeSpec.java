package io.wharf.model.cluster;

/** What operators want of a node: {@code drain} moves its instances away and stops new placements. */
public record NodeSpec(boolean drain) {
    public static final NodeSpec DEFAULT = new NodeSpec(false);
}
