package io.wharf.model.stack;

import io.wharf.model.Kind;
import io.wharf.model.Metadata;
import io.wharf.model.NamespaceSpec;
import io.wharf.model.NamespaceStatus;
import io.wharf.model.Resource;
import io.wharf.model.ResourceRef;
import io.wharf.model.Stack;
import io.wharf.model.StackSpec;
import io.wharf.model.document.Fields;
import io.wharf.model.document.Paths;
import io.wharf.model.document.Problems;
import io.wharf.model.document.Scalars;
import io.wharf.model.document.Tree;
import io.wharf.model.schema.ConfigSchema;
import io.wharf.model.schema.DiscoverySchema;
import io.wharf.model.schema.MetaSchema;
import io.wharf.model.schema.ResourceSchema;
import io.wharf.model.schema.RouteSchema;
import io.wharf.model.schema.WorkloadSchema;
import io.wharf.model.validation.Names;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads one stack file tree into entries, runs the cross-resource checks, builds the document. */
final class StackReader {
    /** One declared resource before it becomes a record. */
    record Entry(Kind kind, String name, String path, Object spec, Map<String, String> labels, List<Problems.Reference> refs) {}

    private final Problems problems;

    StackReader(Problems problems) {
        this.problems = problems;
    }

    StackDocument read(Tree root, String sourceName) {
        Fields top = Fields.of(root, "", problems);
        if (root instanceof Tree.Null) problems.add("stack", "is required");
        if (!top.isMapping()) return null;
        String stack = top.name("stack", true);
        String namespace = top.string("namespace", "default");
        Names.dnsLabelProblem(namespace).ifPresent(bad -> top.problem("namespace", bad));
        List<Entry> entries = new ArrayList<>();
        namespaces(top, entries);
        List<String> volumes = volumes(top);
        section(top, "configs", Kind.CONFIG, entries);
        section(top, "secrets", Kind.SECRET, entries);
        section(top, "services", Kind.SERVICE, entries);
        section(top, "jobs", Kind.JOB, entries);
        section(top, "cronJobs", Kind.CRON_JOB, entries);
        section(top, "routes", Kind.ROUTE, entries);
        section(top, "endpoints", Kind.ENDPOINT, entries);
        for (String key : top.keys()) if (key.startsWith("x-")) top.known(key);
        top.finish();
        new StackChecks(problems, entries, volumes).run();
        if (!problems.isEmpty() || stack == null) return null;

        List<Resource> resources = new ArrayList<>();
        List<ResourceRef> refs = new ArrayList<>();
        for (Entry e : entries) {
            Map<String, String> labels = new LinkedHashMap<>(e.labels());
            labels.put(StackFile.STACK_LABEL, stack);
            String ns = e.kind().namespaced() ? namespace : null;
            Metadata m = new Metadata(e.name(), ns, labels, 0, null, null);
            Object status = e.kind() == Kind.NAMESPACE ? NamespaceStatus.EMPTY : null;
            Resource r = ResourceSchema.build(e.kind(), m, e.spec(), status);
            resources.add(r);
            refs.add(r.ref());
        }
        Stack stackResource = new Stack(new Metadata(stack, namespace, Map.of(StackFile.STACK_LABEL, stack), 0, null, null),
                new StackSpec(refs, volumes, sourceName));
        return new StackDocument(stack, namespace, resources, stackResource);
    }

    /** {@code namespaces:} as a list of names or a mapping name → {description, labels}. */
    private void namespaces(Fields top, List<Entry> entries) {
        Tree t = top.take("namespaces");
        if (t == null) return;
        String path = top.path("namespaces");
        if (t instanceof Tree.Sequence seq) {
            for (int i = 0; i < seq.items().size(); i++) {
                String p = Paths.index(path, i);
                String name = Scalars.text(seq.items().get(i), p, problems);
                if (name == null) continue;
                var bad = Names.dnsLabelProblem(name);
                if (bad.isPresent()) problems.add(p, bad.get());
                else entries.add(new Entry(Kind.NAMESPACE, name, p, NamespaceSpec.EMPTY, Map.of(), List.of()));
            }
        } else if (t instanceof Tree.Mapping m) {
            m.entries().forEach((name, node) -> {
                String p = Paths.field(path, name);
                Names.dnsLabelProblem(name).ifPresent(bad -> problems.add(p, bad));
                Fields f = Fields.of(node, p, problems);
                Map<String, String> labels = MetaSchema.labels(f, "labels");
                NamespaceSpec spec = MetaSchema.namespace(f);
                f.finish();
                entries.add(new Entry(Kind.NAMESPACE, name, p, spec, labels, List.of()));
            });
        } else {
            top.problem("namespaces", "must be a list of names or a mapping, got " + t.describe());
        }
    }

    /** {@code volumes:} named volumes as a list of names or a mapping name → {driver: local}. */
    private List<String> volumes(Fields top) {
        Tree t = top.take("volumes");
        List<String> names = new ArrayList<>();
        if (t == null) return names;
        String path = top.path("volumes");
        if (t instanceof Tree.Sequence seq) {
            for (int i = 0; i < seq.items().size(); i++) {
                String p = Paths.index(path, i);
                String name = Scalars.text(seq.items().get(i), p, problems);
                if (name == null) continue;
                var bad = Names.dnsLabelProblem(name);
                if (bad.isPresent()) problems.add(p, bad.get());
                else if (names.contains(name)) problems.add(p, "duplicate volume \"" + name + "\"");
                else names.add(name);
            }
        } else if (t instanceof Tree.Mapping m) {
            m.entries().forEach((name, node) -> {
                String p = Paths.field(path, name);
                var bad = Names.dnsLabelProblem(name);
                if (bad.isPresent()) problems.add(p, bad.get());
                Fields f = Fields.of(node, p, problems);
                String driver = f.string("driver", "local");
                if (!driver.equals("local")) f.problem("driver", "must be one of local, got \"" + driver + "\"");
                f.finish();
                if (bad.isEmpty()) names.add(name);
            });
        } else {
            top.problem("volumes", "must be a list of names or a mapping, got " + t.describe());
        }
        return names;
    }

    private void section(Fields top, String key, Kind kind, List<Entry> entries) {
        top.entries(key).forEach((name, node) -> {
            String path = Paths.field(top.path(key), name);
            var bad = Names.dnsLabelProblem(name);
            if (bad.isPresent()) problems.add(path, bad.get());
            Fields f = Fields.of(node, path, problems);
            if (!f.isMapping()) {
                if (node instanceof Tree.Null) problems.add(path, "must not be empty");
                return;
            }
            int mark = problems.references().size();
            Map<String, String> labels = MetaSchema.labels(f, "labels");
            if (labels.containsKey(StackFile.STACK_LABEL)) {
                problems.add(Paths.field(f.path("labels"), StackFile.STACK_LABEL), "is set by Wharf to the stack name");
            }
            List<Entry> inlineRoutes = kind == Kind.SERVICE ? inlineRoutes(f, name) : List.of();
            int routeRefs = problems.references().size();
            Object spec = switch (kind) {
                case SERVICE -> WorkloadSchema.service(f, name);
                case JOB -> WorkloadSchema.job(f, name);
                case CRON_JOB -> WorkloadSchema.cronJob(f, name);
                case ROUTE -> RouteSchema.read(f, null);
                case CONFIG -> ConfigSchema.config(f);
                case SECRET -> ConfigSchema.secret(f);
                case ENDPOINT -> DiscoverySchema.endpoint(f);
                default -> throw new IllegalArgumentException(kind.toString());
            };
            f.finish();
            List<Problems.Reference> all = problems.references();
            List<Problems.Reference> own = List.copyOf(all.subList(routeRefs, all.size()));
            entries.add(new Entry(kind, name, path, spec, labels, own));
            entries.addAll(inlineRoutes);
        });
    }

    /** Routes written inside a service: named after it ({@code web}, or {@code web-0}, {@code web-1} for several). */
    private List<Entry> inlineRoutes(Fields service, String serviceName) {
        List<Entry> routes = new ArrayList<>();
        Tree t = service.take("routes");
        if (t == null) return routes;
        if (!(t instanceof Tree.Sequence seq)) {
            service.problem("routes", "must be a list, got " + t.describe());
            return routes;
        }
        for (int i = 0; i < seq.items().size(); i++) {
            String p = Paths.index(service.path("routes"), i);
            Fields f = Fields.of(seq.items().get(i), p, problems);
            if (!f.isMapping()) continue;
            int mark = problems.references().size();
            String name = f.name("name", false);
            if (name == null) name = seq.items().size() == 1 ? serviceName : serviceName + "-" + i;
            var spec = RouteSchema.read(f, serviceName);
            f.finish();
            List<Problems.Reference> all = problems.references();
            routes.add(new Entry(Kind.ROUTE, name, p, spec, Map.of(), List.copyOf(all.subList(mark, all.size()))));
        }
        return routes;
    }
}
