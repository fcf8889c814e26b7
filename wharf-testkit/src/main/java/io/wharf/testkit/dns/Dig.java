package io.wharf.testkit.dns;

import io.wharf.testkit.external.ExternalProgram;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the real {@code dig} (Debian {@code dnsutils}) against a server on 127.0.0.1 and reads
 * its output. Found through {@link ExternalProgram} (system property {@code wharf.dig}
 * overrides), so a missing dig fails the test when {@code wharf.requireExternal=true}.
 */
public final class Dig {

  private static final Pattern STATUS = Pattern.compile("status: ([A-Z]+)");
  private static final Pattern FLAGS = Pattern.compile(";; flags:([a-z ]*);");
  private static final Pattern EDNS = Pattern.compile("; EDNS: version: (\\d+), flags:[a-z ]*; udp: (\\d+)");

  private final Path program;
  private final int port;

  private Dig(Path program, int port) {
    this.program = program;
    this.port = port;
  }

  /** dig against 127.0.0.1:{@code port}; fails or aborts the test when dig is missing. */
  public static Dig against(int port) {
    return new Dig(ExternalProgram.require("dig", "wharf.dig", Path.of("/usr/bin/dig")), port);
  }

  /**
   * Asks {@code name} of {@code type} with extra dig options ({@code +tcp}, {@code +noedns},
   * {@code +ignore}, {@code +bufsize=N}). One try, 3 s timeout, no recursion asked.
   */
  public Answer query(String name, String type, String... options) {
    List<String> command = new ArrayList<>(List.of(program.toString(), "@127.0.0.1", "-p",
        Integer.toString(port), "+tries=1", "+time=3", "+norecurse", "+nocookie"));
    command.addAll(List.of(options));
    command.add(name);
    command.add(type);
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("dig did not end: " + command);
      }
      return Answer.parse(new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * dig's view of one reply: status ({@code NOERROR}, {@code NXDOMAIN}, ...; null when no reply
   * came), header flags, the records of each section as {@code name type data} (class and TTL
   * left out; names lower-cased, without the final dot) with their TTLs, and the EDNS version
   * and UDP size (-1 without OPT).
   */
  public record Answer(String output, String status, List<String> flags, List<String> answer,
      List<Integer> answerTtls, List<String> authority, List<String> additional, int ednsVersion,
      int ednsUdp) {

    static Answer parse(String output) {
      Matcher status = STATUS.matcher(output);
      Matcher flags = FLAGS.matcher(output);
      Matcher edns = EDNS.matcher(output);
      List<Integer> ttls = new ArrayList<>();
      return new Answer(output, status.find() ? status.group(1) : null,
          flags.find() ? List.of(flags.group(1).strip().split(" +")) : List.of(),
          section(output, "ANSWER", ttls), ttls, section(output, "AUTHORITY", new ArrayList<>()),
          section(output, "ADDITIONAL", new ArrayList<>()),
          edns.find() ? Integer.parseInt(edns.group(1)) : -1,
          edns.find(0) ? Integer.parseInt(edns.group(2)) : -1);
    }

    private static List<String> section(String output, String name, List<Integer> ttls) {
      List<String> records = new ArrayList<>();
      int start = output.indexOf(";; " + name + " SECTION:");
      if (start < 0) {
        return records;
      }
      for (String line : output.substring(start).lines().skip(1).toList()) {
        if (line.isBlank()) {
          break;
        }
        String[] f = line.strip().split("\\s+");
        if (f.length < 5) {
          continue;
        }
        String owner = f[0].toLowerCase(java.util.Locale.ROOT);
        owner = owner.endsWith(".") ? owner.substring(0, owner.length() - 1) : owner;
        StringBuilder data = new StringBuilder();
        for (int i = 4; i < f.length; i++) {
          data.append(' ').append(f[i].endsWith(".") && f[i].length() > 1
              ? f[i].substring(0, f[i].length() - 1) : f[i]);
        }
        records.add(owner + " " + f[3] + data);
        ttls.add(Integer.parseInt(f[1]));
      }
      return records;
    }
  }
}
