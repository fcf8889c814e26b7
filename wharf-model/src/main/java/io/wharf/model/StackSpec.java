package io.wharf.model;

import java.util.List;

/**
 * The resources a stack file declared (in file order) and the named volumes it declared.
 * {@code source} is where the file came from (a path or "-"), for humans only.
 */
public record StackSpec(List<ResourceRef> resources, List<String> volumes, String source) {
    public StackSpec {
        resources = Frozen.list(resources);
        volumes = Frozen.list(volumes);
    }
}
