package io.wharf.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.model.Kind;
import io.wharf.server.fixture.ApiClient;
import io.wharf.server.fixture.Samples;
import io.wharf.server.fixture.ServerFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CronRoutesTest {
  private static final String CRON = "/v1/namespaces/default/cronjobs/nightly";

  @TempDir Path dir;
  ServerFixture fx;
  ApiClient api;

  @BeforeEach
  void start() {
    fx = ServerFixture.start(dir);
    api = fx.client;
    var created = api.post("/v1/namespaces/default/cronjobs", Samples.json(Samples.of(Kind.CRON_JOB, "default", "nightly")));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void triggerStartsAManualRunNowWithTheCronJobsRevisionAsRunId() {
    long revision = api.get(CRON).json().path("metadata").path("revision").asLong();
    var triggered = api.post(CRON + "/trigger", "");
    assertThat(triggered.status()).as(triggered.text()).isEqualTo(201);
    JsonNode job = triggered.json();
    String name = job.path("metadata").path("name").asText();
    assertThat(name).startsWith("nightly-m");
    assertThat(job.path("kind").asText()).isEqualTo("Job");
    assertThat(job.path("metadata").path("labels").path("wharf.io/cronjob").asText()).isEqualTo("nightly");
    assertThat(job.path("metadata").path("labels").path("wharf.io/trigger").asText()).isEqualTo("manual");
    JsonNode env = job.path("spec").path("tasks").get(0).path("env");
    assertThat(env.path("WHARF_RUN_ID").asText()).isEqualTo(Long.toString(revision));
    assertThat(env.path("WHARF_SLOT").asText()).isNotEmpty();
    assertThat(api.get("/v1/namespaces/default/jobs/" + name).status()).isEqualTo(200);
    assertThat(api.get(CRON).json().path("status").path("activeJobs").get(0).asText()).isEqualTo(name);
    assertThat(reasons()).contains("CronJobTriggered");
  }

  @Test
  void triggerOfAMissingCronJobIs404() {
    var r = api.post("/v1/namespaces/default/cronjobs/nope/trigger", "");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.errorCode()).isEqualTo("not_found");
    assertThat(r.errorMessage()).isEqualTo("CronJob \"default/nope\" not found");
  }

  @Test
  void suspendAndResumeFlipSpecSuspendWithEvents() {
    var suspended = api.post(CRON + "/suspend", "");
    assertThat(suspended.status()).as(suspended.text()).isEqualTo(200);
    assertThat(suspended.json().path("spec").path("suspend").asBoolean()).isTrue();
    assertThat(api.get(CRON).json().path("spec").path("suspend").asBoolean()).isTrue();
    var resumed = api.post(CRON + "/resume", "");
    assertThat(resumed.status()).as(resumed.text()).isEqualTo(200);
    assertThat(api.get(CRON).json().path("spec").path("suspend").asBoolean()).isFalse();
    assertThat(reasons()).contains("CronJobSuspended", "CronJobResumed");
  }

  @Test
  void suspendingTwiceOrResumingARunningCronJobIsAConflict() {
    var notSuspended = api.post(CRON + "/resume", "");
    assertThat(notSuspended.status()).isEqualTo(409);
    assertThat(notSuspended.errorCode()).isEqualTo("conflict");
    assertThat(notSuspended.errorMessage()).isEqualTo("CronJob \"default/nightly\" is not suspended");
    assertThat(api.post(CRON + "/suspend", "").status()).isEqualTo(200);
    var again = api.post(CRON + "/suspend", "");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.errorMessage()).isEqualTo("CronJob \"default/nightly\" is already suspended");
  }

  @Test
  void suspendOfAMissingCronJobIs404() {
    var r = api.post("/v1/namespaces/default/cronjobs/nope/suspend", "");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.errorMessage()).isEqualTo("CronJob \"default/nope\" not found");
  }

  private List<String> reasons() {
    List<String> out = new ArrayList<>();
    api.get("/v1/namespaces/default/events?involved=CronJob/nightly").json().path("items")
        .forEach(e -> out.add(e.path("spec").path("reason").asText()));
    return out;
  }
}
