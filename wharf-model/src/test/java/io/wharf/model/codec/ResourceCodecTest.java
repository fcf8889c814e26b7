package io.wharf.model.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.Kind;
import io.wharf.model.Resource;
import io.wharf.model.Samples;
import io.wharf.model.validation.Problem;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import io.wharf.model.Instance;
import io.wharf.model.cluster.InstanceState;
import io.wharf.model.cluster.InstanceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ResourceCodecTest {

    static Stream<Named<Resource>> everyKind() {
        return Samples.all().stream().map(r -> Named.of(r.kind().displayName(), r));
    }

    @Test
    void samplesCoverEveryKind() {
        assertThat(Samples.all().stream().map(Resource::kind)).containsExactly(Kind.values());
    }

    @ParameterizedTest
    @MethodSource("everyKind")
    void jsonRoundTripGivesTheSameResource(Resource r) {
        Decoded<Resource> back = ResourceCodec.fromJson(ResourceCodec.toJson(r));
        assertThat(back.problems()).isEmpty();
        assertThat(back.value()).isEqualTo(r);
    }

    @ParameterizedTest
    @MethodSource("everyKind")
    void yamlRoundTripGivesTheSameResource(Resource r) {
        Decoded<Resource> back = ResourceCodec.fromYaml(r.kind(), ResourceCodec.toYaml(r));
        assertThat(back.problems()).isEmpty();
        assertThat(back.value()).isEqualTo(r);
    }

    @ParameterizedTest
    @MethodSource("everyKind")
    void defaultsRoundTripToo(Resource r) {
        Resource minimal = r.withStatus(ResourceCodec.fromJson(r.kind(),
                ("{\"metadata\":{\"name\":\"" + r.metadata().name() + "\"},\"spec\":" + specJson(r) + "}").getBytes(StandardCharsets.UTF_8))
                .value().status());
        Decoded<Resource> back = ResourceCodec.fromJson(ResourceCodec.toJson(minimal));
        assertThat(back.problems()).isEmpty();
        assertThat(back.value()).isEqualTo(minimal);
    }

    private static String specJson(Resource r) {
        return ResourceCodec.toTree(r).get("spec").toString();
    }

    @Test
    void aWaitingInstanceKeepsItsReasonAndOtherStatesDropIt() {
        Instance sample = Samples.instance();
        Instance waiting = new Instance(sample.metadata(), sample.spec(),
                InstanceStatus.waiting("secret db-password not found in namespace shop", 2, "127.0.0.2"));

        Decoded<Resource> decoded = ResourceCodec.fromJson(ResourceCodec.toJson(waiting));

        assertThat(decoded.problems()).isEmpty();
        Instance back = (Instance) decoded.value();
        assertThat(back).isEqualTo(waiting);
        assertThat(ResourceCodec.toTree(waiting).path("status").path("state").asText()).isEqualTo("waiting");
        assertThat(back.status().waitingReason()).isEqualTo("secret db-password not found in namespace shop");
        assertThat(new InstanceStatus(InstanceState.RUNNING, null, 0, null, null, null, null, null, "stale").waitingReason())
                .isNull();
    }

    @Test
    void envelopeFollowsTheApiContract() {
        String json = new String(ResourceCodec.toJson(Samples.event()), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"kind\":\"Event\",\"metadata\":{\"name\":\"0000000000000058\",\"namespace\":\"shop\","
                + "\"revision\":58,\"createdAt\":\"2026-11-22T10:00:00Z\",\"updatedAt\":\"2026-11-22T10:00:00Z\"},"
                + "\"spec\":{\"type\":\"Created\",\"involved\":{\"kind\":\"Service\",\"namespace\":\"shop\",\"name\":\"web\"},"
                + "\"reason\":\"Applied\",\"message\":\"stack shop\",\"at\":\"2026-11-22T10:00:00Z\"},\"status\":{}}");
    }

    @Test
    void quantitiesAreWrittenInTheirTextForms() {
        String json = new String(ResourceCodec.toJson(Samples.service()), StandardCharsets.UTF_8);
        assertThat(json).contains("\"cpu\":\"500m\"", "\"memory\":\"256Mi\"", "\"timeout\":\"1s500ms\"", "\"mode\":\"0440\"",
                "\"driver\":\"docker\"", "\"policy\":\"on-failure\"", "\"stopGracePeriod\":\"1m30s\"");
    }

    @Test
    void yamlOutputQuotesStringsThatOtherYamlReadersWouldMisread() {
        for (String v : List.of("no", "on", "y", "0777", "8080", "true", "null", "~", "")) {
            var config = new io.wharf.model.Config(io.wharf.model.Metadata.of("c", "d"), new io.wharf.model.config.ConfigSpec(v, null));
            assertThat(ResourceCodec.toYaml(config)).contains("  data: \"" + v + "\"\n");
            assertThat(ResourceCodec.fromYaml(Kind.CONFIG, ResourceCodec.toYaml(config)).value()).isEqualTo(config);
        }
    }

    @Test
    void secretValuesAreEncodedButNeverPrinted() {
        assertThat(new String(ResourceCodec.toJson(Samples.secret()), StandardCharsets.UTF_8)).contains("hunter2");
        assertThat(Samples.secret().toString()).doesNotContain("hunter2");
    }

    @Test
    void singleResourcesAreValidatedWithPaths() {
        String body = """
                {"kind":"Service","metadata":{"name":"Web","labels":{"bad key!":"x"}},
                 "spec":{"replicas":-1,"replcas":2,"driver":"docker","image":"nginx","restart":{"policy":"sometimes"}}}""";
        assertThat(ResourceCodec.fromJson(body.getBytes(StandardCharsets.UTF_8)).problems()).containsExactly(
                new Problem("metadata.name", "invalid name \"Web\": use lowercase letters, digits and '-', start with a letter, end with a letter or digit"),
                new Problem("metadata.labels.bad key!", "invalid label key \"bad key!\": use up to 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit"),
                new Problem("spec.replicas", "must be >= 0"),
                new Problem("spec.restart.policy", "must be one of always|on-failure|never, got string \"sometimes\""),
                new Problem("spec.replcas", "unknown field (did you mean \"replicas\"?)"));
    }

    @Test
    void aNodesPortsInUseMustBePortNumbers() {
        String body = """
                {"kind":"Node","metadata":{"name":"n1"},"status":{"portsInUse":[20001,0,"x"]}}""";
        assertThat(ResourceCodec.fromJson(body.getBytes(StandardCharsets.UTF_8)).problems()).containsExactly(
                new Problem("status.portsInUse[1]", "must be >= 1"),
                new Problem("status.portsInUse[2]", "must be an integer, got string \"x\""));
    }

    @Test
    void theExpectedKindIsEnforced() {
        byte[] body = ResourceCodec.toJson(Samples.job());
        assertThat(ResourceCodec.fromJson(Kind.SERVICE, body).problems())
                .containsExactly(new Problem("kind", "must be Service here, got Job"));
    }

    @Test
    void malformedJsonIsMarkedMalformed() {
        Decoded<Resource> d = ResourceCodec.fromJson("{\"kind\": ".getBytes(StandardCharsets.UTF_8));
        assertThat(d).isInstanceOf(Decoded.Invalid.class);
        assertThat(((Decoded.Invalid<Resource>) d).malformed()).isTrue();
        assertThat(d.problems()).hasSize(1);
        assertThat(d.problems().get(0).reason()).startsWith("malformed JSON: ");
    }

    @Test
    void duplicateJsonKeysAreProblems() {
        String body = "{\"kind\":\"Config\",\"metadata\":{\"name\":\"a\",\"name\":\"b\"},\"spec\":{\"data\":\"x\"}}";
        assertThat(ResourceCodec.fromJson(body.getBytes(StandardCharsets.UTF_8)).problems())
                .containsExactly(new Problem("metadata.name", "duplicate key"));
    }

    @Test
    void unknownKindSuggestsTheClosest() {
        assertThat(ResourceCodec.fromJson("{\"kind\":\"Servce\",\"metadata\":{\"name\":\"a\"},\"spec\":{}}".getBytes(StandardCharsets.UTF_8))
                .problems()).containsExactly(new Problem("kind", "unknown kind \"Servce\" (did you mean \"Service\"?)"));
    }

    @Test
    void validateReportsProblemsOfProgrammaticValues() {
        Resource bad = Samples.service().withMetadata(Samples.service().metadata().withName("Bad_Name"));
        List<Problem> problems = ResourceCodec.validate(bad);
        assertThat(problems).extracting(Problem::path).containsExactly("metadata.name");
        assertThat(ResourceCodec.validate(Samples.service())).isEmpty();
    }
}
