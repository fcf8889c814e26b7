package io.wharf.server.auth.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TotpTest {
  /** RFC 6238 appendix B's SHA-1 secret, "12345678901234567890", in base32. */
  static final String RFC_SECRET = Totp.base32("12345678901234567890".getBytes(StandardCharsets.US_ASCII));

  @ParameterizedTest(name = "t={0} gives {1}")
  @CsvSource({"59, 287082", "1111111109, 081804", "1111111111, 050471", "1234567890, 005924",
      "2000000000, 279037", "20000000000, 353130"})
  void codesMatchRfc6238TestVectors(long seconds, String code) {
    // The RFC lists 8 digits; authenticator apps (and Wharf) use the last 6.
    assertThat(Totp.code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(seconds)))).isEqualTo(code);
  }

  @Test
  void oneStepEitherSideIsAcceptedAndTwoAreNot() {
    String secret = Totp.newSecret();
    Instant now = Instant.parse("2026-12-06T12:00:10Z");
    long step = Totp.step(now);
    assertThat(Totp.match(secret, Totp.code(secret, step), now)).isEqualTo(OptionalLong.of(step));
    assertThat(Totp.match(secret, Totp.code(secret, step - 1), now)).isEqualTo(OptionalLong.of(step - 1));
    assertThat(Totp.match(secret, Totp.code(secret, step + 1), now)).isEqualTo(OptionalLong.of(step + 1));
    assertThat(Totp.match(secret, Totp.code(secret, step - 2), now)).isEmpty();
    assertThat(Totp.match(secret, Totp.code(secret, step + 2), now)).isEmpty();
    assertThat(Totp.match(secret, null, now)).isEmpty();
    assertThat(Totp.match(secret, "12345", now)).isEmpty();
  }

  @Test
  void base32RoundTripsAndSecretsAreTwentyBytes() {
    String secret = Totp.newSecret();
    assertThat(secret).matches("[A-Z2-7]{32}");
    assertThat(Totp.base32Decode(secret)).hasSize(20);
    assertThat(Totp.base32(Totp.base32Decode(secret))).isEqualTo(secret);
  }

  @Test
  void theUriIsWhatAuthenticatorAppsScan() {
    assertThat(Totp.uri("Wharf", "alice", "JBSWY3DPEHPK3PXP"))
        .isEqualTo("otpauth://totp/Wharf:alice?secret=JBSWY3DPEHPK3PXP&issuer=Wharf&algorithm=SHA1&digits=6&period=30");
  }
}
