package io.wharf.model.stack;

import io.wharf.model.Frozen;
import io.wharf.model.Resource;
import io.wharf.model.Stack;
import java.util.List;
import java.util.Objects;

/**
 * A parsed stack file: its name, its default namespace, the resources it declares (each
 * complete, labelled {@code wharf.io/stack: <name>}, revision 0, no timestamps) and the Stack
 * resource that records them.
 */
public record StackDocument(String name, String namespace, List<Resource> resources, Stack stackResource) {
    public StackDocument {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        resources = Frozen.list(resources);
        Objects.requireNonNull(stackResource, "stackResource");
    }
}
