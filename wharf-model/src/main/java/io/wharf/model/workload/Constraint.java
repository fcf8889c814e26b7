package io.wharf.model.workload;

import java.util.Objects;

/**
 * A hard placement rule over a node attribute: {@code node.name} or {@code node.labels.<key>}.
 * Written as an expression ({@code node.labels.zone == a}, {@code node.labels.disk in ssd,nvme},
 * {@code node.labels.gpu exists}) or structured; {@code value} is null for {@code exists}.
 */
public record Constraint(String attribute, ConstraintOperator operator, String value) {
    public Constraint {
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(operator, "operator");
    }

    @Override public String toString() {
        return attribute + " " + operator.wire() + (value == null ? "" : " " + value);
    }
}
