package io.wharf.model.workload;

import io.wharf.model.WireValue;
import java.util.Optional;

/** Operators of placement constraints. */
public enum ConstraintOperator implements WireValue {
    EQUALS("=="), NOT_EQUALS("!="), REGEX("=~"), IN("in"), NOT_IN("not-in"), EXISTS("exists"),
    /** Version comparisons: dotted numeric parts compared as numbers ({@code 1.10 > 1.9}), like Nomad's. */
    VERSION_GT(">"), VERSION_GE(">="), VERSION_LT("<"), VERSION_LE("<=");

    private final String wire;

    ConstraintOperator(String wire) { this.wire = wire; }

    @Override public String wire() { return wire; }

    public boolean comparesVersions() {
        return this == VERSION_GT || this == VERSION_GE || this == VERSION_LT || this == VERSION_LE;
    }

    /** Parses the wire form; {@code =} is read as {@code ==} and {@code not in} as {@code not-in}. */
    public static Optional<ConstraintOperator> parse(String s) {
        if ("=".equals(s)) return Optional.of(EQUALS);
        if ("not in".equals(s)) return Optional.of(NOT_IN);
        for (ConstraintOperator o : values()) if (o.wire.equals(s)) return Optional.of(o);
        return Optional.empty();
    }
}
