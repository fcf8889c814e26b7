package io.wharf.server.auth.login;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.model.quantity.Durations;
import io.wharf.server.auth.jwt.JwtAuthenticator;
import io.wharf.server.auth.jwt.SignedTokens;
import io.wharf.server.auth.jwt.SigningKeys;
import io.wharf.server.auth.workload.WorkloadTokens;
import io.wharf.server.registry.ResourceRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * The login lane of one server, wired by hand: signing keys, signed tokens and their
 * authenticator, users' credentials, logins and workload tokens. The control plane makes one
 * and hands {@link #authenticator()} to the authentication seam and the rest to the API.
 */
public final class LoginAssembly {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LoginAssembly.class);
  /**
   * Token lifetimes: {@code defaultLifetime} for a login that asks for none, {@code maxLifetime}
   * the cap of any token (and how long a rotated-out signing key keeps verifying);
   * {@code passwordIterations} the PBKDF2 cost of new hashes.
   */
  public record Settings(Duration defaultLifetime, Duration maxLifetime, int passwordIterations) {
    public static final Settings DEFAULTS = new Settings(Login.DEFAULT_LIFETIME, Duration.ofHours(12),
        PasswordHasher.DEFAULT_ITERATIONS);

    public Settings {
      Objects.requireNonNull(defaultLifetime, "defaultLifetime");
      Objects.requireNonNull(maxLifetime, "maxLifetime");
      if (defaultLifetime.isNegative() || defaultLifetime.isZero()) {
        throw new IllegalArgumentException("token lifetime must be positive, got " + Durations.format(defaultLifetime));
      }
      if (maxLifetime.compareTo(WorkloadTokens.LIFETIME) < 0) {
        throw new IllegalArgumentException("the token lifetime cap must be at least "
            + Durations.format(WorkloadTokens.LIFETIME) + " (workload tokens live that long), got "
            + Durations.format(maxLifetime));
      }
      if (defaultLifetime.compareTo(maxLifetime) > 0) {
        throw new IllegalArgumentException("token lifetime " + Durations.format(defaultLifetime) + " is over the cap "
            + Durations.format(maxLifetime));
      }
    }
  }

  private final SigningKeys keys;
  private final SignedTokens tokens;
  private final UserCredentials credentials;
  private final PasswordHasher hasher;
  private final Login login;
  private final WorkloadTokens workloads;
  private final JwtAuthenticator authenticator;

  public LoginAssembly(Settings settings, ResourceRegistry registry, ObjectMapper json, InstantSource clock) {
    this.keys = new SigningKeys(registry.store(), json, clock, settings.maxLifetime(), registry.sealer());
    this.tokens = new SignedTokens(keys, clock);
    this.credentials = new UserCredentials(registry.store(), json, clock, registry.sealer());
    this.hasher = new PasswordHasher(settings.passwordIterations());
    this.login = new Login(credentials, hasher, tokens, new FailureThrottle(), clock, settings.defaultLifetime());
    this.workloads = new WorkloadTokens(registry, tokens);
    this.authenticator = new JwtAuthenticator(keys, clock, workloads);
  }

  /**
   * Makes the first signing key if the cluster has none yet (idempotent, any server), on its own
   * virtual thread: a store slow to answer at startup (an etcd cluster still electing) must not
   * fail the server's start. Whatever needs the key first makes it otherwise.
   */
  public void start() {
    Thread.ofVirtual().name("wharf-signing-key").start(() -> {
      try {
        keys.current();
      } catch (RuntimeException e) {
        log.info("no signing key made at startup (made when first needed): {}", e.getMessage());
      }
    });
  }

  public SigningKeys keys() {
    return keys;
  }

  public SignedTokens tokens() {
    return tokens;
  }

  public UserCredentials credentials() {
    return credentials;
  }

  public PasswordHasher hasher() {
    return hasher;
  }

  public Login login() {
    return login;
  }

  public WorkloadTokens workloads() {
    return workloads;
  }

  /** The JWT authenticator for the seam's list (ControlPlane puts it in the seam's list). */
  public JwtAuthenticator authenticator() {
    return authenticator;
  }
}
