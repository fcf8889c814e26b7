package io.wharf.testkit.proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Counts task processes by a unique marker in their command line (read from {@code /proc}), so
 * tests can tell one running copy of a workload from a duplicate.
 */
public final class MarkedProcesses {
  /** The process driver's wrapper shell carries the task's command line too; it is not the task. */
  private static final String WRAPPER = "trap : TERM";

  private MarkedProcesses() {}

  /**
   * Pids of live processes whose command line contains {@code marker}. A shell forks before it
   * execs each command it runs ({@code sleep 1}); for that instant the child still shows the
   * parent's command line. Such a child is not another copy of the task and is left out.
   */
  public static List<Long> pids(String marker) {
    List<Long> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.toList()) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        String cmd = cmdline(p);
        if (cmd.contains(marker) && !cmd.contains(WRAPPER)) {
          found.add(Long.parseLong(name));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found.stream()
        .filter(pid -> ProcessHandle.of(pid).flatMap(ProcessHandle::parent)
            .map(parent -> !found.contains(parent.pid())).orElse(true))
        .toList();
  }

  private static String cmdline(Path proc) {
    try {
      return new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException gone) {
      return "";
    }
  }
}
