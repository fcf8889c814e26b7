package io.wharf.testkit.auth;

/**
 * The admin token test fixtures bootstrap their control planes with (through
 * {@code ControlPlane.Settings.withBootstrapToken}, or {@code WHARF_BOOTSTRAP_TOKEN} for a
 * {@code wharf dev}/{@code wharf server} process) and configure their clients with, so a test
 * talks to its server as the admin without reading the token from the server's output.
 * Never valid anywhere but in a test's own server.
 */
public final class TestTokens {
  public static final String ADMIN = "wharf_testkit-admin-0123456789abcdefghijklmnopqrstuv";

  /** The environment variable a server process reads its bootstrap token from. */
  public static final String BOOTSTRAP_VARIABLE = "WHARF_BOOTSTRAP_TOKEN";
  /** The environment variable CLI, agent, DNS and gateway processes read their token from. */
  public static final String TOKEN_VARIABLE = "WHARF_TOKEN";

  private TestTokens() {
  }
}
