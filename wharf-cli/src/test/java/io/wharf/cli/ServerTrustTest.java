package io.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.cli.output.Terminal;
import io.wharf.server.tls.CertificateAuthority;
import io.wharf.server.tls.Pem;
import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which CA the CLI trusts: --ca-cert, else WHARF_CACERT, else credentials.json "caCertificate", else none. */
class ServerTrustTest {
  @TempDir
  Path dir;

  private X509Certificate flagCa;
  private X509Certificate variableCa;
  private X509Certificate fileCa;

  @BeforeEach
  void writeCas() throws Exception {
    flagCa = write("flag.crt");
    variableCa = write("variable.crt");
    fileCa = write("home/file.crt");
  }

  private X509Certificate write(String name) throws Exception {
    X509Certificate ca = CertificateAuthority.generate(name, Instant.now()).certificate();
    Files.createDirectories(dir.resolve(name).getParent());
    Files.writeString(dir.resolve(name), Pem.certificate(ca));
    return ca;
  }

  private Environment environment(Map<String, String> variables) {
    PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
    return new Environment(variables, new ByteArrayInputStream(new byte[0]), nowhere, nowhere, Terminal.none(false),
        Clock.systemUTC(), dir);
  }

  @Test
  void theFlagWinsThenTheVariableThenCredentialsJson() throws Exception {
    Files.writeString(dir.resolve("home/credentials.json"), "{\"caCertificate\": \"file.crt\"}");
    Map<String, String> all = Map.of(ServerTrust.CA_VARIABLE, "variable.crt", ServerTrust.HOME_VARIABLE,
        dir.resolve("home").toString());

    assertThat(ServerTrust.configuredCa(environment(all), Path.of("flag.crt"))).containsExactly(flagCa);
    assertThat(ServerTrust.configuredCa(environment(all), null)).containsExactly(variableCa);
    assertThat(ServerTrust.configuredCa(environment(Map.of(ServerTrust.HOME_VARIABLE, dir.resolve("home").toString())),
        null)).as("a path relative to credentials.json").containsExactly(fileCa);
    assertThat(ServerTrust.configuredCa(environment(Map.of(ServerTrust.HOME_VARIABLE, dir.resolve("nohome").toString())),
        null)).as("nothing configured").isNull();
  }

  @Test
  void credentialsJsonMayHoldThePemItself() throws Exception {
    String pem = Pem.certificate(fileCa).replace("\n", "\\n");
    Files.writeString(dir.resolve("home/credentials.json"), "{\"token\": \"x\", \"caCertificate\": \"" + pem + "\"}");

    assertThat(ServerTrust.configuredCa(environment(Map.of(ServerTrust.HOME_VARIABLE, dir.resolve("home").toString())),
        null)).containsExactly(fileCa);
  }

  @Test
  void anUnreadableCaIsAUsageErrorNamingWhereItCameFrom() throws Exception {
    Files.writeString(dir.resolve("home/credentials.json"), "{\"caCertificate\": \"-----BEGIN CERTIFICATE-----\\nxx\"}");

    assertThatThrownBy(() -> ServerTrust.configuredCa(environment(Map.of(ServerTrust.HOME_VARIABLE,
        dir.resolve("home").toString())), null))
        .isInstanceOf(CliException.class)
        .hasMessageStartingWith(dir.resolve("home/credentials.json") + ": \"caCertificate\": not a PEM certificate");
    assertThatThrownBy(() -> ServerTrust.configuredCa(environment(Map.of(ServerTrust.CA_VARIABLE, "missing.crt")), null))
        .isInstanceOf(CliException.class)
        .hasMessageStartingWith("cannot read the CA certificate " + dir.resolve("missing.crt"))
        .hasMessageEndingWith("(from $WHARF_CACERT)");
  }
}
