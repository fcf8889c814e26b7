package io.wharf.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class DocumentsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void secretValuesAreNeverPrintedInAnyFormat() throws Exception {
    JsonNode secret = json("""
        {"kind":"Secret","metadata":{"name":"db"},
         "spec":{"value":"hunter2","data":{"user":"admin","password":"s3cret"}}}""");
    Documents documents = new Documents();

    String asJson = documents.json(secret);
    String asYaml = documents.yaml(secret);

    for (String text : new String[] {asJson, asYaml}) {
      assertThat(text).doesNotContain("hunter2", "admin", "s3cret").contains("<redacted>");
    }
    assertThat(asYaml).isEqualTo("""
        kind: Secret
        metadata:
          name: db
        spec:
          value: <redacted>
          data:
            user: <redacted>
            password: <redacted>
        """);
  }

  @Test
  void secretsInsideListsAreRedactedAndOtherKindsAreUntouched() throws Exception {
    JsonNode list = json("""
        {"kind":"SecretList","items":[{"kind":"Secret","spec":{"value":"x1"}},
          {"kind":"Config","spec":{"data":"visible"}}]}""");

    JsonNode shown = Documents.redact(list);

    assertThat(shown.path("items").get(0).path("spec").path("value").asText())
        .isEqualTo("<redacted>");
    assertThat(shown.path("items").get(1).path("spec").path("data").asText())
        .isEqualTo("visible");
    assertThat(list.path("items").get(0).path("spec").path("value").asText())
        .as("the input is not changed").isEqualTo("x1");
  }

  @Test
  void aPlansChangesToASecretShowNoValues() throws Exception {
    JsonNode plan = json("""
        {"stack":"shop","changes":[
          {"action":"update","kind":"Secret","name":"db","diff":[
            {"path":"spec.value","old":"hunter2","new":"hunter3"}]},
          {"action":"update","kind":"Service","name":"web","diff":[
            {"path":"spec.replicas","old":1,"new":2}]}]}""");

    String shown = new Documents().json(plan);

    assertThat(shown).doesNotContain("hunter").contains("\"old\" : \"<redacted>\"",
        "\"new\" : \"<redacted>\"", "\"old\" : 1", "\"new\" : 2");
  }
}
