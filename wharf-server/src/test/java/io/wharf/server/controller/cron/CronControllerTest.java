package io.wharf.server.controller.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.model.CronJob;
import io.wharf.model.Metadata;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.model.workload.ConcurrencyPolicy;
import io.wharf.model.workload.CronJobSpec;
import io.wharf.model.workload.JobSpec;
import io.wharf.server.controller.Reconciler;
import io.wharf.server.events.EventLog;
import io.wharf.server.fixture.ManualClock;
import io.wharf.server.fixture.Samples;
import io.wharf.server.fixture.TestStores;
import io.wharf.server.registry.ChangeWriter;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.server.registry.WriteResult;
import io.wharf.store.KeyValue;
import io.wharf.store.Store;
import io.wharf.store.Txn;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cron controller on a real embedded store with a clock the test moves: each test walks
 * time forward in steps and runs the controller's pass after every step, as the work queue's
 * wake-up at the next slot would, then asserts on the stored Jobs, lease keys, status and events.
 */
class CronControllerTest {
  private static final String NS = "default";
  private static final ObjectMapper JSON = ResourceCodec.json();

  @TempDir Path dir;
  private Store store;
  private ManualClock clock;
  private ResourceRegistry api;
  private ResourceRegistry fencedRegistry;
  private final AtomicReference<List<Txn.Compare>> fence = new AtomicReference<>(List.of());
  private CronCache cache;
  private CronController controller;

  @BeforeEach
  void setUp() {
    store = TestStores.open(dir);
    clock = new ManualClock();
    ChangeWriter writer = new ChangeWriter(store, new EventLog(store, JSON), clock);
    api = new ResourceRegistry(store, JSON, writer);
    fencedRegistry = new ResourceRegistry(store, JSON, writer.withFence(fence::get));
    cache = new CronCache(store, r -> { });
    cache.start();
    controller = new CronController(cache, fencedRegistry, clock);
  }

  @AfterEach
  void tearDown() {
    cache.close();
    store.close();
  }

  @Test
  void aSlotFiresOnceAsAJobWithLeaseKeyRunIdAndEvent() throws Exception {
    create(cron("report", "*/5 * * * *", "UTC", ConcurrencyPolicy.ALLOW, null));
    pass("report");
    assertThat(jobNames()).isEmpty();
    moveTo("2026-11-22T10:05:00Z");
    pass("report");
    pass("report");
    Instant slot = Instant.parse("2026-11-22T10:05:00Z");
    String job = "report-" + slot.getEpochSecond();
    assertThat(jobNames()).containsExactly(job);
    JsonNode stored = object(ResourceKeys.key(ResourceType.JOB, NS, job));
    assertThat(stored.path("metadata").path("labels").path("wharf.io/cronjob").asText()).isEqualTo("report");
    assertThat(stored.path("metadata").path("labels").path("wharf.io/slot").asText()).isEqualTo("20261122T100500Z");
    assertThat(stored.path("metadata").path("labels").has("wharf.io/stack")).isFalse();
    JsonNode env = stored.path("spec").path("tasks").get(0).path("env");
    assertThat(env.path("WHARF_SLOT").asText()).isEqualTo("2026-11-22T10:05:00Z");
    JsonNode lease = object(CronRuns.leaseKey(NS, "report", slot));
    assertThat(lease.path("job").asText()).isEqualTo(job);
    assertThat(env.path("WHARF_RUN_ID").asText()).isEqualTo(lease.path("runId").asText()).isNotEmpty();
    JsonNode status = object(cronKey("report")).path("status");
    assertThat(status.path("lastScheduledAt").asText()).isEqualTo("2026-11-22T10:05:00Z");
    assertThat(status.path("handledThrough").asText()).isEqualTo("2026-11-22T10:05:00Z");
    assertThat(status.path("nextScheduleAt").asText()).isEqualTo("2026-11-22T10:10:00Z");
    assertThat(status.path("activeJobs").get(0).asText()).isEqualTo(job);
    assertThat(reasons("report")).containsExactly("Created", "CronJobFired");
  }

  @Test
  void theWakeUpIsAtTheNextSlot() throws Exception {
    create(cron("report", "*/5 * * * *", "UTC", ConcurrencyPolicy.ALLOW, null));
    moveTo("2026-11-22T10:01:30Z");
    assertThat(pass("report")).isEqualTo(new Reconciler.RequeueAfter(Duration.ofSeconds(210)));
  }

  @Test
  void springForwardInBerlinFiresTheSkippedTimeOnceAtTheEndOfTheGap() throws Exception {
    moveTo("2026-03-28T20:00:00Z");
    create(cron("nightly", "30 2 * * *", "Europe/Berlin", ConcurrencyPolicy.ALLOW, null));
    List<Instant> fired = walk("nightly", "2026-03-29T04:00:00Z", Duration.ofMinutes(10));
    // 02:30 does not exist on 2026-03-29 in Berlin: it fires once at 03:00 CEST = 01:00Z.
    assertThat(fired).containsExactly(Instant.parse("2026-03-29T01:00:00Z"));
    assertThat(jobNames()).containsExactly("nightly-" + Instant.parse("2026-03-29T01:00:00Z").getEpochSecond());
  }

  @Test
  void springForwardInNewYorkKeepsEveryOtherSlot() throws Exception {
    moveTo("2026-03-08T05:00:00Z");
    create(cron("every30", "*/30 * * * *", "America/New_York", ConcurrencyPolicy.ALLOW, null));
    List<Instant> fired = walk("every30", "2026-03-08T08:00:00Z", Duration.ofMinutes(5));
    // 02:00 and 02:30 EST do not exist; both land on 03:00 EDT (07:00Z) and fire once.
    assertThat(fired).containsExactly(Instant.parse("2026-03-08T05:30:00Z"), Instant.parse("2026-03-08T06:00:00Z"),
        Instant.parse("2026-03-08T06:30:00Z"), Instant.parse("2026-03-08T07:00:00Z"),
        Instant.parse("2026-03-08T07:30:00Z"), Instant.parse("2026-03-08T08:00:00Z"));
  }

  @Test
  void fallBackInNewYorkFiresARepeatedDailyTimeOnceAtItsFirstOccurrence() throws Exception {
    moveTo("2026-11-01T03:00:00Z");
    create(cron("backup", "30 1 * * *", "America/New_York", ConcurrencyPolicy.ALLOW, null));
    List<Instant> fired = walk("backup", "2026-11-01T08:00:00Z", Duration.ofMinutes(10));
    // 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST): only the first fires.
    assertThat(fired).containsExactly(Instant.parse("2026-11-01T05:30:00Z"));
  }

  @Test
  void fallBackInBerlinFiresAnEveryHourScheduleInBothCopiesOfTheHour() throws Exception {
    moveTo("2026-10-24T23:00:00Z");
    create(cron("poll", "*/30 * * * *", "Europe/Berlin", ConcurrencyPolicy.ALLOW, null));
    List<Instant> fired = walk("poll", "2026-10-25T02:00:00Z", Duration.ofMinutes(10));
    assertThat(fired).containsExactly(Instant.parse("2026-10-24T23:30:00Z"), Instant.parse("2026-10-25T00:00:00Z"),
        Instant.parse("2026-10-25T00:30:00Z"), Instant.parse("2026-10-25T01:00:00Z"),
        Instant.parse("2026-10-25T01:30:00Z"), Instant.parse("2026-10-25T02:00:00Z"));
  }

  @Test
  void forbidSkipsASlotWhileTheLastRunIsActiveAndFiresOnceItFinished() throws Exception {
    create(cron("sync", "*/5 * * * *", "UTC", ConcurrencyPolicy.FORBID, null));
    moveTo("2026-11-22T10:05:00Z");
    pass("sync");
    moveTo("2026-11-22T10:10:00Z");
    pass("sync");
    assertThat(jobNames()).hasSize(1);
    assertThat(reasons("sync")).contains("CronSlotSkipped");
    JsonNode status = object(cronKey("sync")).path("status");
    assertThat(status.path("skippedSlots").asLong()).isEqualTo(1);
    assertThat(status.path("lastSkippedAt").asText()).isEqualTo("2026-11-22T10:10:00Z");
    finish(jobNames().getFirst(), "succeeded");
    moveTo("2026-11-22T10:15:00Z");
    pass("sync");
    assertThat(jobNames()).hasSize(2);
  }

  @Test
  void replaceDeletesTheActiveRunAndFiresTheNewOne() throws Exception {
    create(cron("sync", "*/5 * * * *", "UTC", ConcurrencyPolicy.REPLACE, null));
    moveTo("2026-11-22T10:05:00Z");
    pass("sync");
    String first = jobNames().getFirst();
    moveTo("2026-11-22T10:10:00Z");
    pass("sync");
    assertThat(jobNames()).containsExactly("sync-" + Instant.parse("2026-11-22T10:10:00Z").getEpochSecond());
    assertThat(jobNames()).doesNotContain(first);
    assertThat(eventReasons(ResourceType.JOB, first)).contains("Replaced");
  }

  @Test
  void aMissedSlotWithinTheStartingDeadlineRunsOnceAndOlderOnesAreReported() throws Exception {
    create(cron("late", "*/5 * * * *", "UTC", ConcurrencyPolicy.ALLOW, Duration.ofMinutes(3)));
    moveTo("2026-11-22T10:22:00Z"); // 10:05, 10:10, 10:15 and 10:20 passed while nobody looked
    pass("late");
    assertThat(jobNames()).containsExactly("late-" + Instant.parse("2026-11-22T10:20:00Z").getEpochSecond());
    assertThat(reasons("late")).contains("CronSlotMissed");
    JsonNode status = object(cronKey("late")).path("status");
    assertThat(status.path("skippedSlots").asLong()).isEqualTo(3);
    assertThat(messages("late", "CronSlotMissed").getFirst()).contains("3 missed slot(s)")
        .contains("2026-11-22T10:15:00Z, 2026-11-22T10:10:00Z, 2026-11-22T10:05:00Z");
  }

  @Test
  void slotsLaterThanTheStartingDeadlineAreAllSkipped() throws Exception {
    create(cron("late", "*/5 * * * *", "UTC", ConcurrencyPolicy.ALLOW, Duration.ofMinutes(3)));
    moveTo("2026-11-22T10:24:00Z");
    pass("late");
    assertThat(jobNames()).isEmpty();
    assertThat(object(cronKey("late")).path("status").path("skippedSlots").asLong()).isEqualTo(4);
    assertThat(messages("late", "CronSlotMissed").getFirst()).contains("later than the starting deadline PT3M");
    moveTo("2026-11-22T10:25:00Z");
    pass("late");
    assertThat(jobNames()).hasSize(1);
  }

  @Test
  void historyLimitsKeepTheNewestFinishedRunsAndDeleteTheirLeases() throws Exception {
    CronJob c = cron("hist", "*/5 * * * *", "UTC", ConcurrencyPolicy.ALLOW, null);
    c = c.withSpec(new CronJobSpec(c.spec().schedule(), "UTC", ConcurrencyPolicy.ALLOW, null, 2, false,
        c.spec().job(), 1));
    create(c);
    List<String> outcomes = List.of("succeeded", "failed", "succeeded", "failed", "succeeded");
    List<Instant> slots = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i++) {
      Instant slot = Instant.parse("2026-11-22T10:05:00Z").plus(Duration.ofMinutes(5L * i));
      slots.add(slot);
      moveTo(slot.toString());
      pass("hist");
      finish("hist-" + slot.getEpochSecond(), outcomes.get(i));
    }
    pass("hist");
    // kept: the 2 newest successful (slots 2, 4) and the newest failed (slot 3)
    assertThat(jobNames()).containsExactlyInAnyOrder("hist-" + slots.get(2).getEpochSecond(),
        "hist-" + slots.get(3).getEpochSecond(), "hist-" + slots.get(4).getEpochSecond());
    assertThat(store.get(CronRuns.leaseKey(NS, "hist", slots.get(0)))).isEmpty();
    assertThat(store.get(CronRuns.leaseKey(NS, "hist", slots.get(1)))).isEmpty();
    assertThat(store.get(CronRuns.leaseKey(NS, "hist", slots.get(4)))).isPresent();
    assertThat(object(cronKey("hist")).path("status").path("lastSuccessfulAt").isMissingNode()).isFalse();
  }

  @Test
  void aSuspendedCronJobFiresNothingAndOnResumeRunsTheLatestMissedSlotOnce() throws Exception {
    CronJob c = cron("paused", "*/5 * * * *", "UTC", ConcurrencyPolicy.ALLOW, null);
    create(c.withSpec(c.spec().withSuspend(true)));
    moveTo("2026-11-22T10:17:00Z");
    pass("paused");
    assertThat(jobNames()).isEmpty();
    assertThat(object(cronKey("paused")).path("status").has("nextScheduleAt")).isFalse();
    ObjectNode resumed = (ObjectNode) object(cronKey("paused"));
    ((ObjectNode) resumed.path("spec")).put("suspend", false);
    assertThat(api.replace(ResourceType.CRON_JOB, resumed, 0)).isInstanceOf(WriteResult.Written.class);
    pass("paused");
    assertThat(jobNames()).containsExactly("paused-" + Instant.parse("2026-11-22T10:15:00Z").getEpochSecond());
    assertThat(object(cronKey("paused")).path("status").path("skippedSlots").asLong()).isEqualTo(2);
  }

  @Test
  void aSecondsScheduleFiresEveryFewSeconds() throws Exception {
    create(cron("fast", "*/10 * * * * *", "UTC", ConcurrencyPolicy.ALLOW, null));
    List<Instant> fired = walk("fast", "2026-11-22T10:00:30Z", Duration.ofSeconds(5));
    assertThat(fired).containsExactly(Instant.parse("2026-11-22T10:00:10Z"), Instant.parse("2026-11-22T10:00:20Z"),
        Instant.parse("2026-11-22T10:00:30Z"));
  }

  @Test
  void aFiringWithAStaleFenceFailsAndWritesNothing() throws Exception {
    create(cron("fenced", "*/5 * * * *", "UTC", ConcurrencyPolicy.ALLOW, null));
    long term = store.txn(Txn.of(List.of(), List.of(new Txn.Put("/wharf/leader", "a".getBytes())))).revision();
    fence.set(List.of(new Txn.Compare("/wharf/leader", term)));
    moveTo("2026-11-22T10:05:00Z");
    pass("fenced");
    assertThat(jobNames()).hasSize(1);
    // Another server takes over (the leader key is written anew); this one has not noticed yet.
    store.txn(Txn.of(List.of(), List.of(new Txn.Put("/wharf/leader", "b".getBytes()))));
    JsonNode before = object(cronKey("fenced"));
    long events = store.range(EventLog.PREFIX).kvs().size();
    moveTo("2026-11-22T10:10:00Z");
    assertThatThrownBy(() -> controller.reconcile(CronController.key(NS, "fenced")))
        .isInstanceOf(ChangeWriter.ContentionException.class);
    assertThat(jobNames()).hasSize(1);
    assertThat(store.get(CronRuns.leaseKey(NS, "fenced", Instant.parse("2026-11-22T10:10:00Z")))).isEmpty();
    assertThat(object(cronKey("fenced"))).isEqualTo(before);
    assertThat(store.range(EventLog.PREFIX).kvs()).hasSize((int) events);
  }

  @Test
  void manyCronJobsDueAtOnceFireOnceEachWhenTheirFiringsAreCombined() throws Exception {
    int count = 40;
    for (int i = 0; i < count; i++) {
      create(cron("c" + i, "*/5 * * * *", "UTC", ConcurrencyPolicy.ALLOW, null));
    }
    moveTo("2026-11-22T10:05:00Z");
    cache.awaitCurrent(Duration.ofSeconds(10));
    List<Thread> workers = new ArrayList<>();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = "c" + i;
      workers.add(Thread.ofVirtual().start(() -> {
        try {
          pass(name);
          pass(name);
        } catch (Exception | AssertionError e) {
          failures.add(e);
        }
      }));
    }
    for (Thread t : workers) {
      t.join();
    }
    assertThat(failures).isEmpty();
    assertThat(jobNames()).hasSize(count);
    for (int i = 0; i < count; i++) {
      assertThat(store.range(CronRuns.leasePrefix(NS, "c" + i)).kvs()).hasSize(1);
      assertThat(reasons("c" + i)).containsOnlyOnce("CronJobFired");
    }
  }

  // --- helpers

  private CronJob cron(String name, String schedule, String zone, ConcurrencyPolicy policy, Duration deadline) {
    return new CronJob(Metadata.of(name, NS), new CronJobSpec(schedule, zone, policy, deadline, 100, false,
        JobSpec.of(Samples.task())));
  }

  private void create(CronJob c) {
    assertThat(api.create(ResourceType.CRON_JOB, ResourceCodec.toTree(c))).isInstanceOf(WriteResult.Written.class);
  }

  private void moveTo(String instant) {
    clock.advance(Duration.between(clock.instant(), Instant.parse(instant)));
  }

  /** Runs passes until the controller waits for time to move (as the queue would, until its next wake-up). */
  private Reconciler.Result pass(String name) throws Exception {
    cache.awaitCurrent(Duration.ofSeconds(10));
    for (int i = 0; i < 10; i++) {
      Reconciler.Result r = controller.reconcile(CronController.key(NS, name));
      if (!(r instanceof Reconciler.RequeueAfter after) || !after.delay().isZero()) {
        return r;
      }
    }
    throw new AssertionError("the controller kept asking for another pass");
  }

  /** Moves the clock in {@code step}s until {@code until}, passing at each step; the slots fired, in order. */
  private List<Instant> walk(String name, String until, Duration step) throws Exception {
    Instant end = Instant.parse(until);
    pass(name);
    while (clock.instant().isBefore(end)) {
      clock.advance(step);
      pass(name);
    }
    List<Instant> fired = new ArrayList<>();
    for (KeyValue kv : store.range(CronRuns.leasePrefix(NS, name)).kvs()) {
      fired.add(Instant.parse(JSON.readTree(kv.value()).path("slot").asText()));
    }
    fired.sort(null);
    assertThat(jobNames()).hasSize(fired.size());
    return fired;
  }

  private void finish(String job, String phase) {
    ObjectNode status = JSON.createObjectNode().put("phase", phase).put("completedAt", clock.instant().toString());
    assertThat(api.replaceStatus(ResourceType.JOB, NS, job, status, 0)).isInstanceOf(WriteResult.Written.class);
  }

  private String cronKey(String name) {
    return ResourceKeys.key(ResourceType.CRON_JOB, NS, name);
  }

  private JsonNode object(String key) throws IOException {
    return JSON.readTree(store.get(key).orElseThrow(() -> new AssertionError("no " + key)).value());
  }

  private List<String> jobNames() throws IOException {
    List<String> names = new ArrayList<>();
    for (KeyValue kv : store.range(ResourceKeys.prefix(ResourceType.JOB, NS)).kvs()) {
      names.add(JSON.readTree(kv.value()).path("metadata").path("name").asText());
    }
    return names;
  }

  private List<JsonNode> events() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (KeyValue kv : store.range(EventLog.PREFIX).kvs()) {
      out.add(JSON.readTree(kv.value()));
    }
    return out;
  }

  private List<String> eventReasons(ResourceType kind, String name) throws IOException {
    return events().stream().filter(e -> e.path("spec").path("involved").path("kind").asText().equals(kind.kind())
        && e.path("spec").path("involved").path("name").asText().equals(name))
        .map(e -> e.path("spec").path("reason").asText()).toList();
  }

  private List<String> reasons(String cron) throws IOException {
    return eventReasons(ResourceType.CRON_JOB, cron);
  }

  private List<String> messages(String cron, String reason) throws IOException {
    return events().stream().filter(e -> e.path("spec").path("involved").path("name").asText().equals(cron)
        && e.path("spec").path("reason").asText().equals(reason))
        .map(e -> e.path("spec").path("message").asText()).toList();
  }
}
