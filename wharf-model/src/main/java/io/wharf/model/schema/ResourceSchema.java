package io.wharf.model.schema;

import io.wharf.model.Config;
import io.wharf.model.Endpoint;
import io.wharf.model.discovery.EndpointSpec;
import io.wharf.model.CronJob;
import io.wharf.model.Event;
import io.wharf.model.EventSpec;
import io.wharf.model.Instance;
import io.wharf.model.Job;
import io.wharf.model.Kind;
import io.wharf.model.Metadata;
import io.wharf.model.Namespace;
import io.wharf.model.NamespaceSpec;
import io.wharf.model.NamespaceStatus;
import io.wharf.model.Node;
import io.wharf.model.Resource;
import io.wharf.model.Route;
import io.wharf.model.Secret;
import io.wharf.model.Service;
import io.wharf.model.Stack;
import io.wharf.model.StackSpec;
import io.wharf.model.config.ConfigSpec;
import io.wharf.model.config.SecretSpec;
import io.wharf.model.cluster.InstanceSpec;
import io.wharf.model.cluster.InstanceStatus;
import io.wharf.model.cluster.NodeSpec;
import io.wharf.model.cluster.NodeStatus;
import io.wharf.model.document.Fields;
import io.wharf.model.document.Problems;
import io.wharf.model.document.Tree;
import io.wharf.model.routing.RouteSpec;
import io.wharf.model.routing.RouteStatus;
import io.wharf.model.workload.CronJobSpec;
import io.wharf.model.workload.CronJobStatus;
import io.wharf.model.workload.JobSpec;
import io.wharf.model.workload.JobStatus;
import io.wharf.model.workload.ServiceSpec;
import io.wharf.model.workload.ServiceStatus;

/** A whole resource envelope: {@code kind}, {@code metadata}, {@code spec}, {@code status}. */
public final class ResourceSchema {
    private ResourceSchema() {}

    /**
     * Reads a resource; {@code expected} (may be null) is the kind the caller wants: it may then
     * be omitted from the document, and another kind is a problem. Returns null when any
     * problem was recorded.
     */
    public static Resource read(Tree root, Kind expected, Problems problems) {
        int before = problems.size();
        Fields f = Fields.of(root, "", problems);
        if (!f.isMapping()) {
            if (root instanceof Tree.Null) problems.add("", "empty document");
            return null;
        }
        Kind kind = expected;
        if (f.has("kind")) {
            Kind given = MetaSchema.kind(f, "kind");
            if (given != null && expected != null && given != expected) {
                f.problem("kind", "must be " + expected.displayName() + " here, got " + given.displayName());
            }
            if (given != null) kind = given;
        } else if (expected == null) {
            f.problem("kind", "is required");
        }
        if (kind == null) {
            f.known("metadata", "spec", "status");
            f.finish();
            return null;
        }
        Metadata metadata = null;
        if (!f.has("metadata")) f.problem("metadata", "is required");
        else {
            Fields mf = Fields.of(f.take("metadata"), "metadata", problems);
            metadata = MetaSchema.metadata(mf, kind);
            mf.finish();
        }
        Object spec = null;
        if (!f.has("spec") && kind != Kind.NAMESPACE && kind != Kind.NODE) f.problem("spec", "is required");
        else {
            Fields sf = Fields.of(f.take("spec"), "spec", problems);
            String name = metadata == null || metadata.name().isEmpty() ? "main" : metadata.name();
            spec = spec(kind, sf, name);
            sf.finish();
        }
        Fields st = Fields.of(f.take("status"), "status", problems);
        Object status = status(kind, st);
        st.finish();
        f.finish();
        if (problems.size() > before || metadata == null || spec == null) return null;
        return build(kind, metadata, spec, status);
    }

    static Object spec(Kind kind, Fields f, String name) {
        return switch (kind) {
            case NAMESPACE -> MetaSchema.namespace(f);
            case STACK -> MetaSchema.stack(f);
            case SERVICE -> WorkloadSchema.service(f, name);
            case JOB -> WorkloadSchema.job(f, name);
            case CRON_JOB -> WorkloadSchema.cronJob(f, name);
            case ROUTE -> RouteSchema.read(f, null);
            case CONFIG -> ConfigSchema.config(f);
            case SECRET -> ConfigSchema.secret(f);
            case ENDPOINT -> DiscoverySchema.endpoint(f);
            case NODE -> ClusterSchema.nodeSpec(f);
            case INSTANCE -> ClusterSchema.instanceSpec(f);
            case EVENT -> MetaSchema.event(f);
        };
    }

    static Object status(Kind kind, Fields f) {
        return switch (kind) {
            case SERVICE -> StatusSchema.service(f);
            case JOB -> StatusSchema.job(f);
            case CRON_JOB -> StatusSchema.cronJob(f);
            case ROUTE -> StatusSchema.route(f);
            case NODE -> ClusterSchema.nodeStatus(f);
            case INSTANCE -> ClusterSchema.instanceStatus(f);
            default -> null; // nothing to read: any field is unknown
        };
    }

    /** Assembles a resource from parts already known to be valid and of the kind's types. */
    public static Resource build(Kind kind, Metadata m, Object spec, Object status) {
        return switch (kind) {
            case NAMESPACE -> new Namespace(m, (NamespaceSpec) spec, (NamespaceStatus) status);
            case STACK -> new Stack(m, (StackSpec) spec, null);
            case SERVICE -> new Service(m, (ServiceSpec) spec, (ServiceStatus) status);
            case JOB -> new Job(m, (JobSpec) spec, (JobStatus) status);
            case CRON_JOB -> new CronJob(m, (CronJobSpec) spec, (CronJobStatus) status);
            case ROUTE -> new Route(m, (RouteSpec) spec, (RouteStatus) status);
            case CONFIG -> new Config(m, (ConfigSpec) spec, null);
            case SECRET -> new Secret(m, (SecretSpec) spec, null);
            case ENDPOINT -> new Endpoint(m, (EndpointSpec) spec, null);
            case NODE -> new Node(m, (NodeSpec) spec, (NodeStatus) status);
            case INSTANCE -> new Instance(m, (InstanceSpec) spec, (InstanceStatus) status);
            case EVENT -> new Event(m, (EventSpec) spec, null);
        };
    }
}
