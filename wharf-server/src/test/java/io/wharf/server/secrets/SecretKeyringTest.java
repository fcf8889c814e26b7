package io.wharf.server.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretKeyringTest {
  private static final String VALUE = "correct horse battery staple";
  private static final String AAD = SecretSealer.associatedData("default", "db", "");

  @Test
  void sealedValueOpensWithTheSameKeyAndAssociatedData() {
    SecretKeyring ring = SecretKeyring.generate();

    Envelope e = ring.seal(VALUE, AAD);

    assertThat(e.keyId()).isEqualTo(ring.activeId());
    assertThat(e.nonce()).hasSize(12);
    assertThat(new String(e.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain(VALUE);
    assertThat(ring.open(e, AAD)).isEqualTo(VALUE);
  }

  @Test
  void everySealUsesAFreshNonce() {
    SecretKeyring ring = SecretKeyring.generate();

    assertThat(ring.seal(VALUE, AAD).nonce()).isNotEqualTo(ring.seal(VALUE, AAD).nonce());
  }

  @Test
  void ciphertextMovedToAnotherSecretOrEntryDoesNotOpen() {
    SecretKeyring ring = SecretKeyring.generate();
    Envelope e = ring.seal(VALUE, AAD);

    assertThatThrownBy(() -> ring.open(e, SecretSealer.associatedData("default", "other", "")))
        .isInstanceOf(UnreadableSecretException.class)
        .hasMessage("its ciphertext does not authenticate under key " + ring.activeId()
            + " (altered, or moved from another secret)");
    assertThatThrownBy(() -> ring.open(e, SecretSealer.associatedData("default", "db", "password")))
        .isInstanceOf(UnreadableSecretException.class);
  }

  @Test
  void alteredCiphertextDoesNotOpen() {
    SecretKeyring ring = SecretKeyring.generate();
    Envelope e = ring.seal(VALUE, AAD);
    byte[] altered = e.ciphertext();
    altered[0] ^= 1;

    assertThatThrownBy(() -> ring.open(new Envelope(e.keyId(), e.nonce(), altered), AAD))
        .isInstanceOf(UnreadableSecretException.class);
  }

  @Test
  void olderKeysOpenWhatTheySealedButOnlyTheFirstSeals() {
    byte[] oldKey = SecretKeyring.randomKey();
    byte[] newKey = SecretKeyring.randomKey();
    SecretKeyring before = SecretKeyring.parse(SecretKeyring.keyLine(oldKey).getBytes(StandardCharsets.US_ASCII), "f");
    Envelope sealedBefore = before.seal(VALUE, AAD);

    SecretKeyring after = SecretKeyring.parse(("# rotated\n" + SecretKeyring.keyLine(newKey) + "\n"
        + SecretKeyring.keyLine(oldKey)).getBytes(StandardCharsets.US_ASCII), "f");

    assertThat(after.ids()).containsExactly(new SecretKey(newKey).id(), new SecretKey(oldKey).id());
    assertThat(after.activeId()).isEqualTo(new SecretKey(newKey).id());
    assertThat(after.open(sealedBefore, AAD)).isEqualTo(VALUE);
    assertThat(after.seal(VALUE, AAD).keyId()).isEqualTo(new SecretKey(newKey).id());
  }

  @Test
  void aValueSealedWithAKeyNoLongerInTheRingNamesTheKey() {
    SecretKeyring old = SecretKeyring.generate();
    SecretKeyring current = SecretKeyring.generate();
    Envelope e = old.seal(VALUE, AAD);

    assertThatThrownBy(() -> current.open(e, AAD)).isInstanceOf(UnreadableSecretException.class)
        .hasMessage("it was sealed with key " + old.activeId() + ", which is not in the keyring ("
            + current.activeId() + ")");
  }

  @Test
  void aRawThirtyTwoByteFileIsOneKey() {
    byte[] raw = new byte[32];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = (byte) (0x80 + i);
    }

    SecretKeyring ring = SecretKeyring.parse(raw, "f");

    assertThat(ring.ids()).containsExactly(new SecretKey(raw).id());
    assertThat(SecretKeyring.isRawKey(raw)).isTrue();
  }

  @Test
  void aBadLineIsNamedWithoutQuotingIt() {
    String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
    String text = SecretKeyring.keyLine(SecretKeyring.randomKey()) + shortKey + "\n";

    assertThatThrownBy(() -> SecretKeyring.parse(text.getBytes(StandardCharsets.US_ASCII), "key file /k"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key file /k, line 2: not a key (the base64 of 32 random bytes)");
  }

  @Test
  void anEmptyFileHoldsNoKey() {
    assertThatThrownBy(() -> SecretKeyring.parse("# nothing\n".getBytes(StandardCharsets.US_ASCII), "WHARF_SECRETS_KEY"))
        .hasMessage("WHARF_SECRETS_KEY holds no key (one base64 key of 32 random bytes per line)");
  }

  @Test
  void keysNeverShowInToString() {
    byte[] key = SecretKeyring.randomKey();
    SecretKeyring ring = new SecretKeyring(List.of(new SecretKey(key)));

    assertThat(ring.toString() + new SecretKey(key)).doesNotContain(Base64.getEncoder().encodeToString(key))
        .contains(ring.activeId());
  }
}
