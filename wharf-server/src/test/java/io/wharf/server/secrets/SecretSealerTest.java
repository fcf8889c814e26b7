package io.wharf.server.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretSealerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private static ObjectNode secret(String json) throws Exception {
    return (ObjectNode) JSON.readTree(json);
  }

  @Test
  void everyValueIsSealedAndOpensAgainWhileMetadataAndEntryNamesStay() throws Exception {
    SecretSealer sealer = new SecretSealer(KeySource.fixed(SecretKeyring.generate()));
    ObjectNode plain = secret("{\"kind\":\"Secret\",\"metadata\":{\"name\":\"db\",\"namespace\":\"shop\"},"
        + "\"spec\":{\"data\":{\"user\":\"admin\",\"password\":\"hunter2\"}}}");

    ObjectNode sealed = sealer.seal(plain);

    assertThat(sealed.toString()).doesNotContain("admin").doesNotContain("hunter2");
    assertThat(sealed.path("spec").path("data").path("password").path("keyId").asText())
        .isEqualTo(sealer.keyring().activeId());
    assertThat(sealed.path("metadata")).isEqualTo(plain.path("metadata"));
    assertThat(sealer.open(sealed)).isEqualTo(plain);
    assertThat(sealer.sealedWithActiveKey(sealed)).isTrue();
    assertThat(sealer.sealedWithActiveKey(plain)).isFalse();
    assertThat(SecretRedaction.redacted(sealed).path("spec").toString())
        .isEqualTo("{\"data\":{\"user\":\"<redacted>\",\"password\":\"<redacted>\"}}");
  }

  @Test
  void entriesCannotBeSwappedWithinASecret() throws Exception {
    SecretSealer sealer = new SecretSealer(KeySource.fixed(SecretKeyring.generate()));
    ObjectNode sealed = sealer.seal(secret("{\"metadata\":{\"name\":\"db\",\"namespace\":\"shop\"},"
        + "\"spec\":{\"data\":{\"a\":\"one\",\"b\":\"two\"}}}"));
    ObjectNode data = (ObjectNode) sealed.path("spec").path("data");
    var a = data.get("a");
    data.set("a", data.get("b"));
    data.set("b", a);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> sealer.open(sealed))
        .isInstanceOf(UnreadableSecretException.class);
  }

  @Test
  void aServerWhoseFileGainedAKeyOpensValuesSealedWithItWithoutARestart() throws Exception {
    Path file = dir.resolve("keys");
    byte[] first = SecretKeyring.randomKey();
    Files.writeString(file, SecretKeyring.keyLine(first));
    SecretSealer stale = new SecretSealer(KeySource.file(file));
    Files.writeString(file, SecretKeyring.keyLine(SecretKeyring.randomKey()) + SecretKeyring.keyLine(first));
    SecretSealer fresh = new SecretSealer(KeySource.file(file));
    ObjectNode sealed = fresh.seal(secret("{\"metadata\":{\"name\":\"db\",\"namespace\":\"shop\"},"
        + "\"spec\":{\"value\":\"hunter2\"}}"));

    assertThat(stale.open(sealed).path("spec").path("value").asText()).isEqualTo("hunter2");
    assertThat(stale.keyring().activeId()).isEqualTo(fresh.keyring().activeId());
  }
}
