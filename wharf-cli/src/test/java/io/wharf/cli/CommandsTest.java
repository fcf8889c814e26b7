package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How commands react to each kind of server answer, including those the real server gives
 * only in races (a conflict between plan and apply), against a scripted HTTP server.
 */
class CommandsTest {

  private static final String PLAN = """
      {"stack":"shop","namespace":"default","revision":57,"changes":[
        {"action":"create","kind":"Service","namespace":"default","name":"web","diff":[]}],
       "summary":{"create":1,"update":0,"delete":0,"unchanged":0}}""";
  private static final String NO_CHANGES = """
      {"stack":"shop","namespace":"default","revision":57,"changes":[],
       "summary":{"create":0,"update":0,"delete":0,"unchanged":2}}""";

  @TempDir
  Path dir;

  @BeforeEach
  void stackFile() throws Exception {
    Files.writeString(dir.resolve("shop.yaml"), "name: shop\n");
  }

  @Test
  void applyWithoutATerminalAndWithoutYesRefusesAndChangesNothing() {
    try (ScriptedServer server = new ScriptedServer().on("POST /v1/plan", 200, PLAN)) {
      CliRun.Result result = new CliRun().address(server.address()).in(dir)
          .run("apply", "-f", "shop.yaml");

      assertThat(result.exitCode()).isEqualTo(2);
      assertThat(result.out()).contains("+ create Service default/web");
      assertThat(result.err()).isEqualTo("error: refusing to apply without confirmation: "
          + "no terminal to ask on; pass --yes to apply\n");
      assertThat(server.requests()).containsExactly("POST /v1/plan");
    }
  }

  @Test
  void declaringTheConfirmationAbortsWithExitFive() {
    try (ScriptedServer server = new ScriptedServer().on("POST /v1/plan", 200, PLAN)) {
      CliRun.Result result = new CliRun().address(server.address()).in(dir).answering("n")
          .run("apply", "-f", "shop.yaml");

      assertThat(result.exitCode()).isEqualTo(5);
      assertThat(result.out()).endsWith("Apply cancelled; nothing was changed.\n");
      assertThat(server.requests()).containsExactly("POST /v1/plan");
    }
  }

  @Test
  void confirmingAppliesThePlanPinnedToItsRevision() {
    try (ScriptedServer server = new ScriptedServer().on("POST /v1/plan", 200, PLAN)
        .on("POST /v1/apply", 200, PLAN.replace("\"revision\":57", "\"revision\":58"))) {
      CliRun.Result result = new CliRun().address(server.address()).in(dir).answering("yes")
          .run("apply", "-f", "shop.yaml");

      assertThat(result.exitCode()).isZero();
      assertThat(result.out())
          .endsWith("Applied at revision 58: 1 created, 0 updated, 0 deleted.\n");
      assertThat(server.requests())
          .containsExactly("POST /v1/plan", "POST /v1/apply?expectRevision=57");
    }
  }

  @Test
  void aPlanWithNothingToDoAppliesNothing() {
    try (ScriptedServer server = new ScriptedServer().on("POST /v1/plan", 200, NO_CHANGES)) {
      CliRun.Result result = new CliRun().address(server.address()).in(dir)
          .run("apply", "-f", "shop.yaml");

      assertThat(result.exitCode()).isZero();
      assertThat(result.out()).contains("No changes.");
      assertThat(server.requests()).containsExactly("POST /v1/plan");
    }
  }

  @Test
  void aStateChangeBetweenPlanAndApplyIsAConflictWithExitFour() {
    try (ScriptedServer server = new ScriptedServer().on("POST /v1/plan", 200, PLAN)
        .on("POST /v1/apply", 409, """
            {"error":{"code":"conflict","message":"Service \\"web\\" changed since revision 57"}}""")) {
      CliRun.Result result = new CliRun().address(server.address()).in(dir)
          .run("apply", "-f", "shop.yaml", "--yes");

      assertThat(result.exitCode()).isEqualTo(4);
      assertThat(result.err()).isEqualTo("""
          error: Service "web" changed since revision 57
            the stack's resources changed since this plan (revision 57); nothing was applied. \
          Run the command again to review the new plan.
          """);
    }
  }

  @Test
  void validationProblemsArePrintedOneALineWithExitThree() {
    try (ScriptedServer server = new ScriptedServer().on("POST /v1/plan", 422, """
        {"error":{"code":"invalid","message":"stack file has 2 problems","problems":[
          {"path":"services.web.replicas","reason":"must be >= 0"},
          {"path":"services.api.dependsOn[0]","reason":"unknown service \\"dbb\\""}]}}""")) {
      CliRun.Result result = new CliRun().address(server.address()).in(dir)
          .run("plan", "-f", "shop.yaml");

      assertThat(result.exitCode()).isEqualTo(3);
      assertThat(result.out()).isEmpty();
      assertThat(result.err()).isEqualTo("""
          error: stack file has 2 problems
            services.web.replicas: must be >= 0
            services.api.dependsOn[0]: unknown service "dbb"
          """);
    }
  }

  @Test
  void notFoundIsAnErrorWithTheServersMessage() {
    try (ScriptedServer server = new ScriptedServer().on(
        "GET /v1/namespaces/default/services/web", 404,
        "{\"error\":{\"code\":\"not_found\",\"message\":\"Service default/web not found\"}}")) {
      CliRun.Result result = new CliRun().address(server.address())
          .run("get", "service", "web");

      assertThat(result.exitCode()).isEqualTo(1);
      assertThat(result.err()).isEqualTo("error: Service default/web not found\n");
    }
  }

  @Test
  void secretsPrintedAsJsonShowNoValues() {
    try (ScriptedServer server = new ScriptedServer().on("GET /v1/secrets", 200, """
        {"kind":"SecretList","revision":3,"items":[{"kind":"Secret",
          "metadata":{"name":"db","namespace":"default"},"spec":{"value":"hunter2"}}]}""")) {
      CliRun.Result result = new CliRun().address(server.address())
          .run("get", "secrets", "-o", "json");

      assertThat(result.exitCode()).isZero();
      assertThat(result.out()).doesNotContain("hunter2").contains("\"value\" : \"<redacted>\"");
      assertThat(server.requests()).containsExactly("GET /v1/secrets?namespace=default");
    }
  }

  @Test
  void listsFollowEveryPageAndPassLabelSelectors() {
    try (ScriptedServer server = new ScriptedServer().on("GET /v1/services", 200, """
        {"kind":"ServiceList","revision":3,"items":[],"continue":null}""")) {
      CliRun.Result result = new CliRun().address(server.address())
          .run("get", "svc", "-A", "-l", "app=web,tier=front");

      assertThat(result.exitCode()).isZero();
      assertThat(result.err()).isEqualTo("No services found.\n");
      assertThat(server.requests())
          .containsExactly("GET /v1/services?labels=app%3Dweb%2Ctier%3Dfront");
    }
  }

  @Test
  void usageErrorsExitTwo() {
    CliRun.Result unknownOption = new CliRun().run("get", "services", "--bogus");
    CliRun.Result unknownKind = new CliRun().run("get", "sevices");
    CliRun.Result bothScopes = new CliRun().address("http://127.0.0.1:9").run(
        "get", "services", "-n", "x", "-A");
    CliRun.Result missingFile = new CliRun().in(dir).run("plan", "-f", "nope.yaml");

    assertThat(unknownOption.exitCode()).isEqualTo(2);
    assertThat(unknownOption.err()).startsWith("error: Unknown option: '--bogus'\n");
    assertThat(unknownKind.exitCode()).isEqualTo(2);
    assertThat(unknownKind.err()).startsWith("error: unknown kind \"sevices\"; kinds are ");
    assertThat(bothScopes.exitCode()).isEqualTo(2);
    assertThat(missingFile.exitCode()).isEqualTo(2);
    assertThat(missingFile.err()).isEqualTo("error: no such file: nope.yaml\n");
  }

  @Test
  void addrOptionWinsOverTheEnvironment() {
    try (ScriptedServer server = new ScriptedServer().on("GET /v1/version", 200,
        "{\"version\":\"0.1.0-SNAPSHOT\",\"api\":\"v1\"}")) {
      CliRun.Result result = new CliRun().address("http://127.0.0.1:9")
          .run("version", "--addr", server.address());

      assertThat(result.exitCode()).isZero();
      assertThat(result.out()).contains("Server: 0.1.0-SNAPSHOT (API v1, " + server.address());
    }
  }

  @Test
  void deleteByFileNeedsNoReferencedFilesAndSkipsWhatIsGone() throws Exception {
    Files.writeString(dir.resolve("gone.yaml"), """
        stack: shop
        configs:
          greeting: {file: missing.txt}
        services:
          web: {command: "httpd -f"}
        """);
    try (ScriptedServer server = new ScriptedServer().on("POST /v1/delete", 200, """
        {"stack":"shop","namespace":"default","revision":12,
         "deleted":[{"kind":"Service","namespace":"default","name":"web"},
                    {"kind":"Stack","namespace":"default","name":"shop"}],
         "stopping":[],
         "notFound":[{"kind":"Config","namespace":"default","name":"greeting"}],
         "deleteOrder":[["web"]]}""")) {
      CliRun.Result result = new CliRun().address(server.address()).in(dir)
          .run("delete", "-f", "gone.yaml");

      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(result.out()).contains("Service default/web deleted.\n",
          "Config default/greeting not found (already deleted).\n",
          "Stack default/shop deleted.\n", "Deleted 2 of 3 resources of stack shop.\n");
      assertThat(server.requests()).containsExactly("POST /v1/delete");
    }
  }

  @Test
  void deleteByFileSaysWhichServicesStopInReverseDependencyOrder() throws Exception {
    Files.writeString(dir.resolve("chain.yaml"), """
        stack: shop
        services:
          api: {command: "api", dependsOn: [db]}
          db: {command: "db"}
        """);
    try (ScriptedServer server = new ScriptedServer().on("POST /v1/delete", 200, """
        {"stack":"shop","namespace":"default","revision":12,
         "deleted":[{"kind":"Stack","namespace":"default","name":"shop"}],
         "stopping":[{"kind":"Service","namespace":"default","name":"api"},
                     {"kind":"Service","namespace":"default","name":"db"}],
         "notFound":[],
         "deleteOrder":[["api"],["db"]]}""")) {
      CliRun.Result result = new CliRun().address(server.address()).in(dir)
          .run("delete", "-f", "chain.yaml");

      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(result.out()).isEqualTo("""
          Stack default/shop deleted.
          Service default/api stopping (after its dependents).
          Service default/db stopping (after its dependents).
          Deleted 1 of 3 resources of stack shop; 2 services stop in reverse dependency order, then go.
          Stop order: 1. api  2. db
          """);
    }
  }

  @Test
  void deleteByFileWithWaitReturnsOnceTheStoppingServicesAreGone() throws Exception {
    Files.writeString(dir.resolve("chain.yaml"), """
        stack: shop
        services:
          api: {command: "api", dependsOn: [db]}
          db: {command: "db"}
        """);
    // Unscripted paths answer 404: both services are already gone when first asked.
    try (ScriptedServer server = new ScriptedServer().on("POST /v1/delete", 200, """
        {"stack":"shop","namespace":"default","revision":12,"deleted":[],
         "stopping":[{"kind":"Service","namespace":"default","name":"api"},
                     {"kind":"Service","namespace":"default","name":"db"}],
         "notFound":[{"kind":"Stack","namespace":"default","name":"shop"}],
         "deleteOrder":[["api"],["db"]]}""")) {
      CliRun.Result result = new CliRun().address(server.address()).in(dir)
          .run("delete", "-f", "chain.yaml", "--wait");

      assertThat(result.exitCode()).as(result.err()).isZero();
      assertThat(result.out()).endsWith("""
          Stop order: 1. api  2. db
          Service default/api stopped and deleted.
          Service default/db stopped and deleted.
          """);
      assertThat(server.requests()).containsExactly("POST /v1/delete",
          "GET /v1/namespaces/default/services/api", "GET /v1/namespaces/default/services/db");
    }
  }

  @Test
  void waitWithoutAFileIsAUsageError() {
    CliRun.Result result = new CliRun().run("delete", "service", "web", "--wait");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).startsWith("error: --wait goes with -f FILE");
  }

  @Test
  void debugAddsTheStackTraceToTheErrorLine() {
    CliRun.Result plain = new CliRun().run("get", "svc", "--addr", "http://127.0.0.1:1");
    CliRun.Result debug = new CliRun().run("get", "svc", "--addr", "http://127.0.0.1:1",
        "--debug");

    assertThat(plain.err()).doesNotContain("\tat ");
    assertThat(debug.exitCode()).isEqualTo(1);
    assertThat(debug.err()).startsWith("error: cannot reach the Wharf server at ")
        .contains("io.wharf.client.ClientException", "\tat io.wharf.client.WharfClient");
  }
}
