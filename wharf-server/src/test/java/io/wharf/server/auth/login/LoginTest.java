package io.wharf.server.auth.login;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.model.codec.ResourceCodec;
import io.wharf.server.auth.Principal;
import io.wharf.server.auth.jwt.JwtAuthenticator;
import io.wharf.server.auth.jwt.SignedTokens;
import io.wharf.server.auth.jwt.SigningKeys;
import io.wharf.server.fixture.ManualClock;
import io.wharf.server.fixture.TestStores;
import io.wharf.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoginTest {
  @TempDir Path dir;
  Store store;
  ManualClock clock = new ManualClock();
  UserCredentials credentials;
  PasswordHasher hasher = new PasswordHasher(1_000);
  SignedTokens tokens;
  JwtAuthenticator authenticator;
  Login login;
  String secret;

  @BeforeEach
  void start() {
    store = TestStores.open(dir);
    credentials = new UserCredentials(store, ResourceCodec.json(), clock);
    SigningKeys keys = new SigningKeys(store, ResourceCodec.json(), clock, Duration.ofHours(12));
    tokens = new SignedTokens(keys, clock);
    authenticator = new JwtAuthenticator(keys, clock, (ns, name, s) -> true);
    login = newServer();
    credentials.setPassword("alice", hasher.hash("alice-password".toCharArray()));
    secret = Totp.newSecret();
    credentials.setTotp("alice", secret);
    credentials.setPassword("bob", hasher.hash("bob-password".toCharArray()));
  }

  /** Another server's login over the same store: its own address throttle, the same user state. */
  private Login newServer() {
    return new Login(credentials, hasher, tokens, new FailureThrottle(), clock, Duration.ofHours(1));
  }

  @AfterEach
  void stop() {
    store.close();
  }

  private String code(long stepOffset) {
    return Totp.code(secret, Totp.step(clock.instant()) + stepOffset);
  }

  private Login.Outcome alice(Login on, String password, String code, String address) {
    return on.login("alice", password.toCharArray(), code, address, null);
  }

  @Test
  void passwordAndCodeGiveAShortLivedTokenForTheUser() {
    Login.Outcome outcome = alice(login, "alice-password", code(0), "10.0.0.1");
    assertThat(outcome).isInstanceOf(Login.Granted.class);
    Login.Granted granted = (Login.Granted) outcome;
    assertThat(granted.token().expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
    assertThat(authenticator.verify(granted.token().token())).isEqualTo(Principal.user("alice"));
  }

  @Test
  void aUserWithoutTotpNeedsOnlyThePasswordAndTheLifetimeIsCapped() {
    Login.Outcome outcome = login.login("bob", "bob-password".toCharArray(), null, "10.0.0.1", Duration.ofDays(3));
    assertThat(((Login.Granted) outcome).token().expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(12)));
  }

  @Test
  void wrongPasswordMissingCodeWrongCodeAndUnknownUserAllAreJustRefused() {
    assertThat(alice(login, "wrong-password", code(0), "10.0.0.1")).isInstanceOf(Login.Refused.class);
    assertThat(alice(login, "alice-password", null, "10.0.0.2")).isInstanceOf(Login.Refused.class);
    assertThat(alice(login, "alice-password", code(5), "10.0.0.3")).isInstanceOf(Login.Refused.class);
    assertThat(login.login("nobody", "x".toCharArray(), null, "10.0.0.4", null)).isInstanceOf(Login.Refused.class);
  }

  @Test
  void aCodeIsNeverAcceptedTwiceEvenOnAnotherServer() {
    String code = code(0);
    assertThat(alice(login, "alice-password", code, "10.0.0.1")).isInstanceOf(Login.Granted.class);
    assertThat(alice(login, "alice-password", code, "10.0.0.1")).isInstanceOf(Login.Refused.class);
    assertThat(alice(newServer(), "alice-password", code, "10.0.0.9")).isInstanceOf(Login.Refused.class);
  }

  @Test
  void anOlderStepThanTheLastAcceptedOneIsAReplayToo() {
    String previous = code(-1);
    assertThat(alice(login, "alice-password", code(1), "10.0.0.1")).isInstanceOf(Login.Granted.class);
    assertThat(alice(login, "alice-password", previous, "10.0.0.1")).isInstanceOf(Login.Refused.class);
  }

  @Test
  void codesOfTheNeighbouringStepsAreAcceptedForClockDrift() {
    assertThat(alice(login, "alice-password", code(-1), "10.0.0.1")).isInstanceOf(Login.Granted.class);
    clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS * 3));
    assertThat(alice(login, "alice-password", code(1), "10.0.0.1")).isInstanceOf(Login.Granted.class);
  }

  @Test
  void fiveFailuresLockTheUserOutWithDoublingWaitsAcrossServersAndAddresses() {
    for (int i = 1; i <= Lockout.FREE_FAILURES - 1; i++) {
      assertThat(alice(login, "guess-" + i, code(0), "10.0.0." + i)).isInstanceOf(Login.Refused.class);
    }
    assertThat(alice(login, "guess-5", code(0), "10.0.0.5")).isInstanceOf(Login.Refused.class);
    // Locked now: even the right password and code are not checked, from anywhere.
    Login other = newServer();
    assertThat(alice(other, "alice-password", code(0), "10.0.0.99"))
        .isEqualTo(new Login.Throttled(Duration.ofSeconds(30)));
    clock.advance(Duration.ofSeconds(30));
    assertThat(alice(other, "guess-6", code(0), "10.0.0.98")).isInstanceOf(Login.Refused.class);
    assertThat(alice(other, "alice-password", code(0), "10.0.0.97"))
        .isEqualTo(new Login.Throttled(Duration.ofSeconds(60)));
    clock.advance(Duration.ofSeconds(60));
    assertThat(alice(other, "alice-password", code(0), "10.0.0.96")).isInstanceOf(Login.Granted.class);
    // A success resets the count.
    assertThat(credentials.state("alice").state().failures()).isZero();
  }

  @Test
  void oneAddressTryingManyUsersIsLockedOutToo() {
    for (int i = 1; i <= Lockout.FREE_FAILURES; i++) {
      assertThat(login.login("user" + i, "guess".toCharArray(), null, "10.6.6.6", null))
          .isInstanceOf(Login.Refused.class);
    }
    assertThat(login.login("bob", "bob-password".toCharArray(), null, "10.6.6.6", null))
        .isEqualTo(new Login.Throttled(Duration.ofSeconds(30)));
    assertThat(login.login("bob", "bob-password".toCharArray(), null, "10.0.0.1", null))
        .isInstanceOf(Login.Granted.class);
  }

  @Test
  void lockoutsDoubleUpToTheCap() {
    assertThat(Lockout.after(4)).isZero();
    assertThat(Lockout.after(5)).isEqualTo(Duration.ofSeconds(30));
    assertThat(Lockout.after(6)).isEqualTo(Duration.ofSeconds(60));
    assertThat(Lockout.after(9)).isEqualTo(Duration.ofMinutes(8));
    assertThat(Lockout.after(10)).isEqualTo(Lockout.CAP);
    assertThat(Lockout.after(1_000)).isEqualTo(Lockout.CAP);
  }

  @Test
  void anOutdatedHashIsRedoneAtTheNextLogin() {
    PasswordHasher stronger = new PasswordHasher(2_000);
    Login upgraded = new Login(credentials, stronger, tokens, new FailureThrottle(), clock, Duration.ofHours(1));
    assertThat(upgraded.login("bob", "bob-password".toCharArray(), null, "10.0.0.1", null))
        .isInstanceOf(Login.Granted.class);
    assertThat(credentials.get("bob").orElseThrow().passwordHash()).startsWith("pbkdf2-sha256$2000$");
  }

  @Test
  void aUserThatDoesNotExistIsLockedOutLikeOneThatDoes() {
    for (int i = 1; i <= Lockout.FREE_FAILURES; i++) {
      assertThat(login.login("nobody", "guess".toCharArray(), null, "10.0.1." + i, null))
          .isInstanceOf(Login.Refused.class);
    }
    assertThat(login.login("nobody", "guess".toCharArray(), null, "10.0.1.99", null))
        .isEqualTo(new Login.Throttled(Duration.ofSeconds(30)));
  }
}
