package io.wharf.model.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.Config;
import io.wharf.model.CronJob;
import io.wharf.model.Job;
import io.wharf.model.Kind;
import io.wharf.model.Resource;
import io.wharf.model.ResourceRef;
import io.wharf.model.Route;
import io.wharf.model.Secret;
import io.wharf.model.Service;
import io.wharf.model.codec.Decoded;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.model.quantity.ByteSize;
import io.wharf.model.quantity.Cpu;
import io.wharf.model.routing.Backend;
import io.wharf.model.task.DockerDriver;
import io.wharf.model.task.JavaDriver;
import io.wharf.model.task.ProbeType;
import io.wharf.model.task.ProcessDriver;
import io.wharf.model.task.RestartMode;
import io.wharf.model.task.TaskLifecycle;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.workload.ConcurrencyPolicy;
import io.wharf.model.workload.Dependency;
import io.wharf.model.workload.DependencyCondition;
import io.wharf.model.workload.UpdateStrategy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.wharf.model.document.DocumentParser;
import io.wharf.model.document.Tree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The complete example of docs/stack-file.md parses and means what the reference says. */
class CompleteExampleTest {
    static StackDocument doc;

    /** The first ```yaml block after the heading "## Complete example". */
    static String example() throws IOException {
        String md = Files.readString(Path.of("../docs/stack-file.md"));
        int heading = md.indexOf("\n## Complete example");
        assertThat(heading).as("heading in docs/stack-file.md").isPositive();
        int start = md.indexOf("```yaml\n", heading) + "```yaml\n".length();
        return md.substring(start, md.indexOf("\n```", start) + 1);
    }

    @BeforeAll
    static void parse() throws IOException {
        Decoded<StackDocument> d = StackFile.parse(example(), "docs/stack-file.md");
        assertThat(d.problems()).isEmpty();
        doc = d.value();
    }

    @SuppressWarnings("unchecked")
    static <T extends Resource> T find(Kind kind, String name) {
        return (T) doc.resources().stream().filter(r -> r.kind() == kind && r.metadata().name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void declaresEveryResourceInApplyOrder() {
        assertThat(doc.name()).isEqualTo("shop");
        assertThat(doc.namespace()).isEqualTo("shop");
        assertThat(doc.resources()).extracting(r -> r.ref().toString()).containsExactly(
                "Namespace shop", "Config shop/web-config", "Config shop/nginx-conf", "Secret shop/db-password",
                "Secret shop/api-keys", "Service shop/db", "Service shop/api", "Service shop/web", "Route shop/web",
                "Job shop/seed", "CronJob shop/nightly-report", "Route shop/api");
        assertThat(doc.stackResource().spec().resources()).containsExactlyElementsOf(doc.resources().stream().map(Resource::ref).toList());
        assertThat(doc.stackResource().spec().volumes()).containsExactly("pgdata");
        assertThat(doc.stackResource().spec().source()).isEqualTo("docs/stack-file.md");
        assertThat(doc.stackResource().ref()).isEqualTo(new ResourceRef(Kind.STACK, "shop", "shop"));
    }

    @Test
    void everyResourceIsLabelledWithTheStackAndUnstored() {
        for (Resource r : doc.resources()) {
            assertThat(r.metadata().labels()).containsEntry("wharf.io/stack", "shop");
            assertThat(r.metadata().revision()).isZero();
            assertThat(r.metadata().createdAt()).isNull();
            assertThat(r.metadata().namespace()).isEqualTo(r.kind().namespaced() ? "shop" : null);
            assertThat(ResourceCodec.validate(r)).as(r.ref().toString()).isEmpty();
        }
    }

    @Test
    void theLongFormServiceHasItsThreeTasks() {
        Service api = find(Kind.SERVICE, "api");
        assertThat(api.spec().replicas()).isEqualTo(3);
        assertThat(api.spec().tasks()).extracting(TaskSpec::name, TaskSpec::lifecycle).containsExactly(
                org.assertj.core.groups.Tuple.tuple("migrate", TaskLifecycle.PRESTART),
                org.assertj.core.groups.Tuple.tuple("app", TaskLifecycle.MAIN),
                org.assertj.core.groups.Tuple.tuple("logs", TaskLifecycle.SIDECAR));
        TaskSpec app = api.spec().mainTask().orElseThrow();
        assertThat(app.driver()).isEqualTo(new JavaDriver(null, "io.shop.Api", List.of("/opt/shop/api.jar", "/opt/shop/lib/*"),
                List.of("-Xmx256m", "-XX:+UseZGC"), List.of()));
        assertThat(app.env()).containsExactlyInAnyOrderEntriesOf(Map.of("LOG_LEVEL", "info", "FEATURE_X", "on"));
        assertThat(app.resources().cpu()).isEqualTo(new Cpu(500));
        assertThat(app.resources().memory()).isEqualTo(ByteSize.ofMebibytes(512));
        assertThat(app.configs().get(0).mode()).isEqualTo(0440);
        assertThat(app.health().readiness().type()).isEqualTo(ProbeType.HTTP);
        assertThat(app.health().readiness().port()).isEqualTo("http");
        assertThat(app.health().liveness().type()).isEqualTo(ProbeType.TCP);
        assertThat(app.health().liveness().failureThreshold()).isEqualTo(5);
        assertThat(api.spec().tasks().get(0).secrets().get(0).path()).isEqualTo("/run/secrets/db-password");
        assertThat(api.spec().tasks().get(2).driver()).isEqualTo(new ProcessDriver(List.of("/usr/bin/tail", "-F", "/var/log/api.log"), List.of(), null));
        assertThat(api.spec().restart().policy()).isEqualTo(RestartMode.ON_FAILURE);
        assertThat(api.spec().restart().attempts()).isEqualTo(5);
        assertThat(api.spec().dependsOn()).containsExactly(new Dependency("db", DependencyCondition.HEALTHY),
                new Dependency("seed", DependencyCondition.COMPLETED));
        assertThat(api.spec().update().strategy()).isEqualTo(UpdateStrategy.CANARY);
        assertThat(api.spec().update().canaryWeight()).isEqualTo(20);
        assertThat(api.spec().autoscale().max()).isEqualTo(10);
    }

    @Test
    void theShortFormServicesHaveOneMainTaskNamedAfterThem() {
        Service db = find(Kind.SERVICE, "db");
        TaskSpec t = db.spec().tasks().get(0);
        assertThat(db.spec().tasks()).hasSize(1);
        assertThat(t.name()).isEqualTo("db");
        assertThat(t.lifecycle()).isEqualTo(TaskLifecycle.MAIN);
        assertThat(((DockerDriver) t.driver()).image()).isEqualTo("postgres:16");
        assertThat(t.env()).containsEntry("POSTGRES_HOST_AUTH_METHOD", "no");
        assertThat(t.health().readiness().command()).containsExactly("pg_isready", "-U", "postgres");
        assertThat(t.stopGracePeriod()).isEqualTo(Duration.ofMinutes(1));
        assertThat(t.volumes().get(0).name()).isEqualTo("pgdata");
        Service web = find(Kind.SERVICE, "web");
        assertThat(web.spec().tasks().get(0).health().readiness().port()).isEqualTo("http");
    }

    @Test
    void jobsCronJobsRoutesConfigsAndSecretsAreComplete() {
        Job seed = find(Kind.JOB, "seed");
        assertThat(seed.spec().backoffLimit()).isEqualTo(2);
        assertThat(seed.spec().activeDeadline()).isEqualTo(Duration.ofMinutes(10));
        CronJob cron = find(Kind.CRON_JOB, "nightly-report");
        assertThat(cron.spec().timeZone()).isEqualTo("Europe/Paris");
        assertThat(cron.spec().concurrencyPolicy()).isEqualTo(ConcurrencyPolicy.FORBID);
        assertThat(cron.spec().job().tasks().get(0).name()).isEqualTo("nightly-report");
        Route inline = find(Kind.ROUTE, "web");
        assertThat(inline.spec().backends()).containsExactly(new Backend("web", null, 100));
        Route api = find(Kind.ROUTE, "api");
        assertThat(api.spec().backends()).containsExactly(new Backend("api", "http", 90), new Backend("web", "8080", 10));
        assertThat(api.spec().auth().type()).isEqualTo("jwt");
        assertThat(api.spec().auth().jwksUrl()).isEqualTo("https://login.example.com/.well-known/jwks.json");
        assertThat(api.spec().auth().algorithms()).containsExactly("RS256");
        assertThat(api.spec().headers()).containsEntry("x-env", "beta");
        assertThat(api.spec().priority()).isEqualTo(10);
        assertThat(api.spec().loadBalancing()).isEqualTo(io.wharf.model.routing.LoadBalancing.LEAST_REQUESTS);
        assertThat(api.spec().rateLimit().keyHeader()).isEqualTo("x-api-key");
        Config conf = find(Kind.CONFIG, "nginx-conf");
        assertThat(conf.spec().file()).isEqualTo("./nginx.conf");
        Secret keys = find(Kind.SECRET, "api-keys");
        assertThat(keys.spec().data().get("stripe").reveal()).isEqualTo("sk_test_123");
        assertThat(keys.toString()).doesNotContain("sk_test_123");
        Secret pw = find(Kind.SECRET, "db-password");
        assertThat(pw.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void theSameStackAsJsonParsesToTheSameDocument() throws IOException {
        Tree tree = DocumentParser.parseYaml(example()).tree().orElseThrow();
        String json = ResourceCodec.json().writeValueAsString(toJson(tree));
        assertThat(json).startsWith("{\"stack\":\"shop\"");
        Decoded<StackDocument> d = StackFile.parse(json, "docs/stack-file.md");
        assertThat(d.problems()).isEmpty();
        assertThat(d.value()).isEqualTo(doc);
    }

    /** Every scalar as a JSON string: the readers accept numbers and booleans written as strings. */
    private static JsonNode toJson(Tree t) {
        var f = JsonNodeFactory.instance;
        return switch (t) {
            case Tree.Scalar s -> f.textNode(s.text());
            case Tree.Null n -> f.nullNode();
            case Tree.Sequence s -> {
                var a = f.arrayNode();
                s.items().forEach(i -> a.add(toJson(i)));
                yield a;
            }
            case Tree.Mapping m -> {
                var o = f.objectNode();
                m.entries().forEach((k, v) -> o.set(k, toJson(v)));
                yield o;
            }
        };
    }
}
