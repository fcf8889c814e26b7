package io.wharf.model.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.Service;
import io.wharf.model.codec.Decoded;
import io.wharf.model.workload.Constraint;
import io.wharf.model.workload.ConstraintOperator;
import io.wharf.model.workload.PlacementSpec;
import io.wharf.model.workload.PlacementStrategy;
import org.junit.jupiter.api.Test;

/** Constraint spellings (=, not in, version comparisons), spreadOver and rebalance. */
class PlacementSyntaxTest {

    private static Decoded<StackDocument> parse(String placement) {
        return StackFile.parse("""
                stack: s
                services:
                  web:
                    command: sleep 1000
                    placement:
                """ + placement.indent(6), "t.yaml");
    }

    private static PlacementSpec placement(String placement) {
        Decoded<StackDocument> d = parse(placement);
        assertThat(d.problems()).isEmpty();
        return ((Service) d.value().resources().get(0)).spec().placement();
    }

    @Test
    void everyOperatorSpellingParses() {
        PlacementSpec p = placement("""
                constraints:
                  - node.labels.zone = eu
                  - node.labels.zone not in us, ap
                  - node.labels.kernel >= 5.10
                  - node.labels.agent < v2.0.1
                  - {attribute: node.labels.os, operator: "<=", value: "12"}
                """);
        assertThat(p.constraints()).containsExactly(
                new Constraint("node.labels.zone", ConstraintOperator.EQUALS, "eu"),
                new Constraint("node.labels.zone", ConstraintOperator.NOT_IN, "us, ap"),
                new Constraint("node.labels.kernel", ConstraintOperator.VERSION_GE, "5.10"),
                new Constraint("node.labels.agent", ConstraintOperator.VERSION_LT, "v2.0.1"),
                new Constraint("node.labels.os", ConstraintOperator.VERSION_LE, "12"));
    }

    @Test
    void aVersionOperatorNeedsAVersion() {
        assertThat(parse("constraints: [node.labels.kernel > latest]").problems())
                .extracting(Object::toString)
                .containsExactly("services.web.placement.constraints[0]: operator > compares versions; "
                        + "\"latest\" is not a version like 1.2.3");
    }

    @Test
    void spreadOverImpliesTheSpreadStrategy() {
        PlacementSpec p = placement("spreadOver: node.labels.zone\nrebalance: true");
        assertThat(p.strategy()).isEqualTo(PlacementStrategy.SPREAD);
        assertThat(p.spreadOver()).isEqualTo("node.labels.zone");
        assertThat(p.rebalance()).isTrue();
    }

    @Test
    void spreadOverRejectsUnknownAttributesAndBinpack() {
        assertThat(parse("spreadOver: zone\n").problems()).extracting(Object::toString).containsExactly(
                "services.web.placement.spreadOver: unknown attribute \"zone\" (use node.name, node.address or node.labels.<key>)");
        assertThat(parse("spreadOver: node.labels.zone\nstrategy: binpack").problems()).extracting(Object::toString)
                .containsExactly("services.web.placement.spreadOver: needs strategy spread (or leave strategy out)");
    }
}
