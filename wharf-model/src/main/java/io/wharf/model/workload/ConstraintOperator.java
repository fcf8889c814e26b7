package io.wharf.model.workload;

import io.wharf.model.WireValue;
import java.util.Optional;

/** Operators of placement constraints. */
public enum ConstraintOperator implements WireValue {
    EQUALS("=="), NOT_EQUALS("!="), REGEX("=~"), IN("in"), NOT_IN("not-in"), EXISTS("exists");

    private final String wire;

    ConstraintOperator(String wire) { this.wire = wire; }

    @Override public String wire() { return wire; }

    public static Optional<ConstraintOperator> parse(String s) {
        for (ConstraintOperator o : values()) if (o.wire.equals(s)) return Optional.of(o);
        return Optional.empty();
    }
}
