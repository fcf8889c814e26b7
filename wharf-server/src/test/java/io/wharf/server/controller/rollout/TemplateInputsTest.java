package io.wharf.server.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.Service;
import io.wharf.model.stack.StackFile;
import io.wharf.model.workload.InstanceTemplate;
import io.wharf.model.workload.Rollout;
import io.wharf.model.workload.RolloutPhase;
import io.wharf.model.workload.ServiceStatus;
import io.wharf.store.KeyValue;
import io.wharf.store.LeaseId;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which config and secret revisions a service takes ({@link TemplateInputs#next}): the rule, case by case. */
class TemplateInputsTest {
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  /** Stored revisions by input key ({@code config/page}); absent = not stored. */
  final Map<String, Long> stored = new HashMap<>();

  static Service web(String configs) {
    return StackFile.parse("""
        stack: s
        namespace: default
        configs:
          page: {data: x}
          other: {data: y}
        secrets:
          db: {value: z}
        services:
          web:
            command: ["/bin/sleep", "1000"]
            configs: %s
            secrets: [{name: db, env: DB}]
        """.formatted(configs), "t").value().resources().stream()
        .filter(Service.class::isInstance).map(Service.class::cast).findFirst().orElseThrow();
  }

  static Service with(Service s, Map<String, Long> inputs, Long rolloutRevision) {
    Rollout rollout = rolloutRevision == null ? null : new Rollout(rolloutRevision, "abc",
        new InstanceTemplate(s.spec().tasks(), null, null, inputs), null, RolloutPhase.SUCCEEDED, 1, false, false, T0,
        T0, T0, "done");
    return s.withStatus(ServiceStatus.EMPTY.withRollout(rollout, List.of(), null).withInputs(inputs));
  }

  Optional<TemplateInputs.Next> next(Service s, boolean sameContent) {
    return TemplateInputs.next(s, (secret, ns, name) -> {
      Long r = stored.get(InstanceTemplate.inputKey(secret, name));
      return r == null ? Optional.empty()
          : Optional.of(new KeyValue("/k/" + name, new byte[0], r, r, 1, LeaseId.NONE));
    }, (key, ns, taken, now) -> sameContent);
  }

  @Test
  void aNewServiceTakesTheRevisionsItsTasksReferenceWithoutAnAnnouncedChange() {
    stored.put("config/page", 10L);
    stored.put("secret/db", 12L);

    TemplateInputs.Next n = next(with(web("[page]"), Map.of(), null), false).orElseThrow();

    assertThat(n.inputs()).isEqualTo(Map.of("config/page", 10L, "secret/db", 12L));
    assertThat(n.changes()).containsExactly("config page taken (revision 10)", "secret db taken (revision 12)");
    assertThat(n.firstTaken()).as("nothing taken before changed: the instances are adopted, not replaced").isTrue();
  }

  @Test
  void aConfigChangedAfterTheRolloutStartedIsTaken() {
    stored.put("config/page", 40L);
    stored.put("secret/db", 12L);

    TemplateInputs.Next n = next(with(web("[page]"), Map.of("config/page", 10L, "secret/db", 12L), 30L), false)
        .orElseThrow();

    assertThat(n.inputs()).isEqualTo(Map.of("config/page", 40L, "secret/db", 12L));
    assertThat(n.changes()).containsExactly("config page changed (revision 10 → 40)");
    assertThat(n.taken()).containsOnlyKeys("config/page");
    assertThat(n.firstTaken()).isFalse();
  }

  @Test
  void aRolledBackRevisionIsNotRolledForwardAgainUntilTheConfigChangesOnceMore() {
    stored.put("config/page", 40L);
    stored.put("secret/db", 12L);
    // The rollback's rollout started at 55, after the config's change at 40: the service keeps 10.
    Service rolledBack = with(web("[page]"), Map.of("config/page", 10L, "secret/db", 12L), 55L);

    assertThat(next(rolledBack, false)).isEmpty();
    stored.put("config/page", 60L);
    assertThat(next(rolledBack, false).orElseThrow().inputs()).containsEntry("config/page", 60L);
  }

  @Test
  void aDeletedConfigKeepsTheRevisionTakenAndARewriteWithTheSameDataChangesNothing() {
    stored.put("secret/db", 12L);
    Service s = with(web("[page]"), Map.of("config/page", 10L, "secret/db", 12L), 30L);
    assertThat(next(s, false)).isEmpty();

    stored.put("config/page", 10L);
    stored.put("secret/db", 70L); // re-sealed by a key rotation
    assertThat(next(s, true)).isEmpty();
  }

  @Test
  void aConfigTheTasksStartToReferenceIsTakenEvenWhenOlderThanTheRollout() {
    stored.put("config/page", 10L);
    stored.put("config/other", 5L);
    stored.put("secret/db", 12L);

    TemplateInputs.Next n = next(with(web("[page, other]"), Map.of("config/page", 10L, "secret/db", 12L), 30L), false)
        .orElseThrow();

    assertThat(n.inputs()).isEqualTo(Map.of("config/page", 10L, "config/other", 5L, "secret/db", 12L));
    assertThat(n.changes()).containsExactly("config other taken (revision 5)");
    assertThat(n.firstTaken()).isTrue();
  }

  @Test
  void onlyConfigsAndSecretsChangingSayWhyInWords() {
    var tasks = web("[page]").spec().tasks();
    var before = new InstanceTemplate(tasks, null, null, Map.of("config/page", 10L, "secret/db", 12L));
    var after = new InstanceTemplate(tasks, null, null, Map.of("config/page", 40L, "secret/db", 12L));

    assertThat(TemplateInputs.why(before, after)).isEqualTo("config page changed");
    assertThat(TemplateInputs.why(before, before.withRestartedAt(T0))).isNull();
    assertThat(TemplateInputs.why(before, before)).isNull();
  }
}
