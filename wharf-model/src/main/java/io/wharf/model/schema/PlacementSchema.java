package io.wharf.model.schema;

import io.wharf.model.document.Fields;
import io.wharf.model.document.Problems;
import io.wharf.model.document.Scalars;
import io.wharf.model.document.Tree;
import io.wharf.model.validation.Names;
import io.wharf.model.workload.Constraint;
import io.wharf.model.workload.ConstraintOperator;
import io.wharf.model.workload.PlacementSpec;
import io.wharf.model.workload.PlacementStrategy;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@code placement:} constraints (expressions or structured), strategy, spreadOver, global, distinctNodes, conflicts, rebalance. */
final class PlacementSchema {
    private PlacementSchema() {}

    private static final Pattern ATTRIBUTE = Pattern.compile("node\\.(name|address|labels\\..+)");
    private static final Pattern VERSION = Pattern.compile("v?\\d+(\\.\\d+)*([-+][0-9A-Za-z.-]*)?");

    static PlacementSpec placement(Fields parent) {
        if (!parent.has("placement")) return PlacementSpec.DEFAULT;
        Fields f = Fields.of(parent.take("placement"), parent.path("placement"), parent.problems());
        List<Constraint> constraints = f.list("constraints", (t, p) -> constraint(t, p, f.problems()));
        PlacementStrategy strategy = f.choice("strategy", PlacementStrategy.class, PlacementStrategy.BINPACK);
        boolean global = f.bool("global", false);
        String spreadOver = f.string("spreadOver");
        if (spreadOver != null && !ATTRIBUTE.matcher(spreadOver).matches()) {
            f.problem("spreadOver", "unknown attribute \"" + spreadOver + "\" (use node.name, node.address or node.labels.<key>)");
            spreadOver = null;
        }
        if (spreadOver != null && f.has("strategy") && strategy != PlacementStrategy.SPREAD) {
            f.problem("spreadOver", "needs strategy spread (or leave strategy out)");
        }
        if (spreadOver != null) strategy = PlacementStrategy.SPREAD;
        boolean rebalance = f.bool("rebalance", false);
        boolean distinct = f.bool("distinctNodes", false);
        List<String> conflicts = f.list("conflicts", (t, p) -> {
            String n = Scalars.text(t, p, f.problems());
            if (n != null && Names.dnsLabelProblem(n).isPresent()) {
                f.problems().add(p, Names.dnsLabelProblem(n).get());
                return null;
            }
            if (n != null) f.problems().refer("conflict", n, p);
            return n;
        });
        f.finish();
        return new PlacementSpec(constraints, strategy, global, distinct, conflicts, spreadOver, rebalance);
    }
    /** {@code "node.labels.zone == a"} or {@code {attribute, operator, value}}. */
    static Constraint constraint(Tree t, String path, Problems problems) {
        String attribute;
        String op;
        String value;
        Fields f = null;
        if (t instanceof Tree.Scalar s) {
            List<String> words = Arrays.asList(s.text().trim().split("\\s+", 3));
            if (words.size() < 2) {
                problems.add(path, "must be \"ATTRIBUTE OPERATOR VALUE\" like \"node.labels.zone == a\", got \"" + s.text() + "\"");
                return null;
            }
            attribute = words.get(0);
            op = words.get(1);
            value = words.size() > 2 ? words.get(2) : null;
            if (op.equals("not") && value != null && (value.equals("in") || value.startsWith("in "))) {
                op = "not in";
                value = value.length() > 2 ? value.substring(3).trim() : null;
            }
        } else {
            f = Fields.of(t, path, problems);
            if (!f.isMapping()) return null;
            attribute = f.required("attribute");
            op = f.string("operator", "==");
            value = f.string("value");
            f.finish();
            if (attribute == null) return null;
        }
        boolean ok = true;
        if (!ATTRIBUTE.matcher(attribute).matches()) {
            problems.add(path, "unknown attribute \"" + attribute + "\" (use node.name, node.address or node.labels.<key>)");
            ok = false;
        }
        var operator = ConstraintOperator.parse(op);
        if (operator.isEmpty()) {
            problems.add(path, "unknown operator \"" + op + "\" (use ==, !=, =~, in, not-in, exists, >, >=, < or <=)");
            return null;
        }
        if (operator.get() == ConstraintOperator.EXISTS) {
            if (value != null) problems.add(path, "exists takes no value");
        } else if (value == null || value.isBlank()) {
            problems.add(path, "operator " + op + " needs a value");
            ok = false;
        } else if (operator.get() == ConstraintOperator.REGEX) {
            try {
                Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                problems.add(path, "invalid regular expression \"" + value + "\": " + e.getDescription());
                ok = false;
            }
        } else if (operator.get().comparesVersions() && !VERSION.matcher(value).matches()) {
            problems.add(path, "operator " + op + " compares versions; \"" + value + "\" is not a version like 1.2.3");
            ok = false;
        }
        return ok ? new Constraint(attribute, operator.get(), value) : null;
    }
}
