package io.wharf.cli.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.cli.Environment;
import io.wharf.cli.Main;
import io.wharf.cli.output.Terminal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** --token > $WHARF_TOKEN > credentials.json, whose token goes only to the address it names. */
class CredentialsFileTest {
  @TempDir Path dir;

  Environment env(Map<String, String> variables) {
    return new Environment(variables, new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(new ByteArrayOutputStream()), Terminal.none(true), Clock.systemUTC(), dir);
  }

  String token(Map<String, String> variables, String... args) {
    CommandLine cli = Main.commandLine(env(variables));
    cli.parseArgs(args);
    Main root = cli.getCommand();
    return root.clientSettings().token();
  }

  @Test
  void theFileIsWrittenOwnerOnlyAndReadBack() throws Exception {
    Environment env = env(Map.of("WHARF_HOME", dir.resolve("home").toString()));
    Path written = CredentialsFile.write(env, "http://127.0.0.1:7070", "wharf_saved");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written.getParent()))).isEqualTo("rwx------");
    assertThat(CredentialsFile.read(env)).contains(new CredentialsFile("http://127.0.0.1:7070", "wharf_saved"));
  }

  @Test
  void theFlagWinsThenTheVariableThenTheFileForItsOwnAddress() {
    Map<String, String> vars = new HashMap<>(Map.of("WHARF_HOME", dir.toString()));
    CredentialsFile.write(env(vars), "http://127.0.0.1:7070", "wharf_saved");

    assertThat(token(vars, "get", "services")).isEqualTo("wharf_saved");
    vars.put("WHARF_ADDR", "http://127.0.0.1:7070");
    assertThat(token(vars, "get", "services")).isEqualTo("wharf_saved");
    vars.put("WHARF_TOKEN", "wharf_env");
    assertThat(token(vars, "get", "services")).isEqualTo("wharf_env");
    assertThat(token(vars, "--token", "wharf_flag", "get", "services")).isEqualTo("wharf_flag");

    vars.remove("WHARF_TOKEN");
    vars.put("WHARF_ADDR", "http://10.0.0.9:7070");
    assertThat(token(vars, "get", "services")).as("the file's token is not sent to another server").isNull();
  }

  @Test
  void withoutHomeThereIsNoFile() {
    assertThat(CredentialsFile.path(env(Map.of()))).isEmpty();
    assertThat(CredentialsFile.path(env(Map.of("HOME", "/home/me")))).contains(Path.of("/home/me/.wharf/credentials.json"));
  }
}
