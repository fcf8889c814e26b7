package io.wharf.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.client.tls.CaCertificates;
import io.wharf.client.tls.TlsContexts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * Which CA the CLI trusts for https:// servers: {@code --ca-cert FILE}, else {@code $WHARF_CACERT}
 * (a file), else {@code "caCertificate"} in {@code $WHARF_HOME/credentials.json} (PEM text or a
 * file path; {@code $WHARF_HOME} defaults to {@code ~/.wharf}), else none — the JDK's default
 * trust, which does not know a cluster's own CA, so such a server is refused with "server
 * certificate not trusted: ...". Never "trust all".
 */
public final class ServerTrust {
  public static final String CA_VARIABLE = "WHARF_CACERT";
  public static final String HOME_VARIABLE = "WHARF_HOME";
  public static final String CREDENTIALS_FILE = "credentials.json";
  public static final String CA_FIELD = "caCertificate";

  private ServerTrust() {
  }

  /** The SSLContext trusting the configured CA; null when none is configured. */
  public static SSLContext context(Environment environment, Path caFlag) {
    List<X509Certificate> cas = configuredCa(environment, caFlag);
    return cas == null ? null : TlsContexts.trusting(cas);
  }

  /** The configured CA certificates, or null. */
  public static List<X509Certificate> configuredCa(Environment environment, Path caFlag) {
    try {
      if (caFlag != null) {
        return CaCertificates.read(environment.workingDirectory().resolve(caFlag));
      }
      String variable = environment.variable(CA_VARIABLE);
      if (variable != null && !variable.isBlank()) {
        return CaCertificates.read(environment.workingDirectory().resolve(variable.strip()));
      }
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage() + (caFlag != null ? " (from --ca-cert)" : " (from $" + CA_VARIABLE + ")"));
    }
    Path credentials = io.wharf.cli.access.CredentialsFile.path(environment).orElse(null); // the file `wharf login` writes
    if (credentials == null || !Files.isRegularFile(credentials)) {
      return null;
    }
    try {
      JsonNode field = new ObjectMapper().readTree(credentials.toFile()).get(CA_FIELD);
      if (field == null || field.isNull() || field.asText().isBlank()) {
        return null;
      }
      String value = field.asText().strip();
      return value.startsWith("-----BEGIN") ? CaCertificates.parse(value)
          : CaCertificates.read(credentials.getParent().resolve(value));
    } catch (IOException | IllegalArgumentException e) {
      throw CliException.usage(credentials + ": \"" + CA_FIELD + "\": " + e.getMessage());
    }
  }

}
