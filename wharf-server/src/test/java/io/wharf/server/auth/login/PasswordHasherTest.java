package io.wharf.server.auth.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  @Test
  void theDefaultIsPbkdf2Sha256WithSixHundredThousandIterationsAndARandomSalt() {
    PasswordHasher hasher = new PasswordHasher();
    String a = hasher.hash("correct horse".toCharArray());
    String b = hasher.hash("correct horse".toCharArray());
    assertThat(a).matches("pbkdf2-sha256\\$600000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    assertThat(a).isNotEqualTo(b); // salted
    assertThat(hasher.verify("correct horse".toCharArray(), a)).isTrue();
    assertThat(hasher.verify("correct horsE".toCharArray(), a)).isFalse();
    assertThat(hasher.outdated(a)).isFalse();
  }

  @Test
  void aHashKeepsItsOwnParametersSoTheDefaultsCanRise() {
    String weak = new PasswordHasher(10_000).hash("pw-of-old".toCharArray());
    assertThat(weak).startsWith("pbkdf2-sha256$10000$");
    PasswordHasher current = new PasswordHasher();
    assertThat(current.verify("pw-of-old".toCharArray(), weak)).isTrue();
    assertThat(current.outdated(weak)).isTrue();
  }

  @Test
  void storedFormsItCannotReadNeverVerify() {
    PasswordHasher hasher = new PasswordHasher(1_000);
    String good = hasher.hash("secret-pw".toCharArray());
    assertThat(hasher.verify("secret-pw".toCharArray(), null)).isFalse();
    assertThat(hasher.verify("secret-pw".toCharArray(), "md5$abc")).isFalse();
    assertThat(hasher.verify("secret-pw".toCharArray(), good.replace("$1000$", "$1$"))).isFalse();
    assertThat(hasher.verify("secret-pw".toCharArray(), good.replace("$1000$", "$x$"))).isFalse();
  }

  @Test
  void tooFewIterationsAreRefused() {
    assertThatThrownBy(() -> new PasswordHasher(999)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("iterations must be at least 1000, got 999");
  }
}
