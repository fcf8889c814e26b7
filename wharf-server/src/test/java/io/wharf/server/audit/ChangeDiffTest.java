package io.wharf.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.model.codec.ResourceCodec;
import org.junit.jupiter.api.Test;

class ChangeDiffTest {
  private static final ObjectMapper JSON = ResourceCodec.json();

  private static JsonNode tree(String json) throws Exception {
    return JSON.readTree(json.replace('\'', '"'));
  }

  @Test
  void aCreateHasOnlyAfterAndADeleteOnlyBefore() throws Exception {
    JsonNode web = tree("{'kind':'Service','metadata':{'name':'web','namespace':'default','labels':{'a':'b'}},"
        + "'spec':{'replicas':2}}");

    JsonNode created = ChangeDiff.of(JSON, null, web);
    JsonNode deleted = ChangeDiff.of(JSON, web, null);

    assertThat(created.toString()).isEqualTo("{\"kind\":\"Service\",\"namespace\":\"default\",\"name\":\"web\","
        + "\"action\":\"created\",\"fields\":[\"metadata.labels\",\"spec\"],"
        + "\"after\":{\"metadata.labels\":{\"a\":\"b\"},\"spec\":{\"replicas\":2}}}");
    assertThat(deleted.path("action").asText()).isEqualTo("deleted");
    assertThat(deleted.has("after")).isFalse();
    assertThat(deleted.path("before").path("spec").path("replicas").asInt()).isEqualTo(2);
  }

  @Test
  void onlyChangedSectionsAreShownWithTheLeafPathsThatChanged() throws Exception {
    JsonNode before = tree("{'kind':'Service','metadata':{'name':'web'},'spec':{'replicas':2,'update':{'parallelism':1}},"
        + "'status':{'ready':2}}");
    JsonNode after = tree("{'kind':'Service','metadata':{'name':'web'},'spec':{'replicas':3,'update':{'parallelism':2}},"
        + "'status':{'ready':2}}");

    JsonNode change = ChangeDiff.of(JSON, before, after);

    assertThat(change.path("fields").toString()).isEqualTo("[\"spec.replicas\",\"spec.update.parallelism\"]");
    assertThat(change.path("before").has("status")).isFalse();
    assertThat(change.path("after").path("spec").path("replicas").asInt()).isEqualTo(3);
  }

  @Test
  void everyValueUnderASecretsSpecIsRedactedWhateverItsShape() throws Exception {
    JsonNode before = tree("{'kind':'Secret','metadata':{'name':'db'},'spec':{'value':'pw-1','data':{'k':'v-1'},"
        + "'list':['x-1',{'deep':'y-1'}],'n':42}}");
    JsonNode after = tree("{'kind':'Secret','metadata':{'name':'db'},'spec':{'value':'pw-2','data':{'k':'v-1'},"
        + "'list':['x-1',{'deep':'y-2'}],'n':43}}");

    JsonNode change = ChangeDiff.of(JSON, before, after);

    String text = change.toString();
    for (String value : new String[] {"pw-1", "pw-2", "v-1", "x-1", "y-1", "y-2", "42", "43"}) {
      assertThat(text).doesNotContain(value);
    }
    assertThat(change.path("after").path("spec").toString()).isEqualTo("{\"value\":\"<redacted>\","
        + "\"data\":{\"k\":\"<redacted>\"},\"list\":[\"<redacted>\",{\"deep\":\"<redacted>\"}],\"n\":\"<redacted>\"}");
    assertThat(change.path("fields").toString()).isEqualTo("[\"spec.list\",\"spec.n\",\"spec.value\"]");
  }
}
