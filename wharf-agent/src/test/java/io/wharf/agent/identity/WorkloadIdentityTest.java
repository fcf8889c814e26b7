package io.wharf.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wharf.agent.node.InstanceKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadIdentityTest {
  static final InstanceKey WEB = new InstanceKey("default", "web-1");

  @TempDir Path dir;
  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-06T10:00:00Z"));
  final InstantSource clock = now::get;
  final AtomicInteger issued = new AtomicInteger();
  /** What the fake server answers next: null issues a token valid 1 h from now. */
  final ConcurrentLinkedQueue<Object> script = new ConcurrentLinkedQueue<>();
  WorkloadIdentity identity;

  private WorkloadIdentity start() {
    identity = new WorkloadIdentity((ns, name) -> {
      Object next = script.poll();
      if (next instanceof RuntimeException e) {
        throw e;
      }
      if (next instanceof WorkloadIdentity.Answer a) {
        return a;
      }
      return new WorkloadIdentity.Issued(new WorkloadIdentity.Token(ns + "/" + name + "#" + issued.incrementAndGet(),
          clock.instant().plus(Duration.ofHours(1))));
    }, key -> dir.resolve(key.taskInstance()).resolve("token"), clock);
    return identity;
  }

  @AfterEach
  void stop() {
    if (identity != null) {
      identity.close();
    }
  }

  private Path file() {
    return dir.resolve("default.web-1").resolve("token");
  }

  @Test
  void anInstanceStartsWithItsTokenInAVariableAndInAFileOnlyItsOwnerCanRead() throws Exception {
    Map<String, String> env = start().env(WEB);
    assertThat(env).containsEntry("WHARF_TOKEN", "default/web-1#1").containsEntry("WHARF_TOKEN_FILE", file().toString());
    assertThat(Files.readString(file())).isEqualTo("default/web-1#1");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("r--------");
  }

  @Test
  void theFileIsRewrittenAtTwoThirdsOfTheTokensLifetime() throws Exception {
    start().env(WEB);
    now.set(now.get().plus(Duration.ofMinutes(39)));
    assertThat(identity.refreshDue()).isZero();
    now.set(now.get().plus(Duration.ofMinutes(1)));
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(file()).equals("default/web-1#2"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("r--------");
  }

  @Test
  void aFailedRefreshIsRetriedSoonAndTheOldFileStays() throws Exception {
    start().env(WEB);
    script.add(new IllegalStateException("server down"));
    now.set(now.get().plus(Duration.ofMinutes(40)));
    await().atMost(Duration.ofSeconds(10)).until(script::isEmpty);
    assertThat(Files.readString(file())).isEqualTo("default/web-1#1");
    now.set(now.get().plus(WorkloadIdentity.RETRY));
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(file()).equals("default/web-1#2"));
  }

  @Test
  void anInstanceTheServerSaysHasEndedIsDroppedAndItsFileDeleted() {
    start().env(WEB);
    script.add(new WorkloadIdentity.NoToken("Instance \"default/web-1\" has stopped; it gets no token"));
    now.set(now.get().plus(Duration.ofMinutes(40)));
    await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(file()));
    assertThat(identity.tracked()).isEmpty();
  }

  @Test
  void withoutATokenAtStartOnlyTheFileIsNamedAndItAppearsWhenARetrySucceeds() throws Exception {
    WorkloadIdentity id = start();
    script.add(new IllegalStateException("403 forbidden"));
    Map<String, String> env = id.env(WEB);
    assertThat(env).containsOnlyKeys("WHARF_TOKEN_FILE");
    assertThat(file()).doesNotExist();
    now.set(now.get().plus(WorkloadIdentity.RETRY));
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file()));
    assertThat(Files.readString(file())).isEqualTo("default/web-1#1");
  }

  @Test
  void forgettingAnInstanceDeletesItsFileAndStopsRefreshing() {
    start().env(WEB);
    identity.forget(WEB);
    assertThat(file()).doesNotExist();
    assertThat(identity.tracked()).isEmpty();
  }

  @Test
  void retriesBackOffFromTenSecondsToAboutFiveMinutes() {
    assertThat(WorkloadIdentity.retryAfter(1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(WorkloadIdentity.retryAfter(2)).isEqualTo(Duration.ofSeconds(20));
    assertThat(WorkloadIdentity.retryAfter(6)).isEqualTo(Duration.ofSeconds(320));
    assertThat(WorkloadIdentity.retryAfter(60)).isEqualTo(Duration.ofSeconds(320));
  }

  @Test
  void anAgentTheServerRefusesRunsInstancesWithoutATokenAndDoesNotRetry() {
    WorkloadIdentity id = start();
    script.add(new WorkloadIdentity.Refused("403 only the agent of the instance's node may ask for its token"));
    assertThat(id.env(WEB)).isEmpty();
    assertThat(id.tracked()).isEmpty();
    assertThat(file()).doesNotExist();
  }
}
