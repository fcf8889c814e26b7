package io.wharf.agent.driver.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fields of {@code /proc/PID/stat} the driver uses. {@code startTicks} is the process's start
 * time in clock ticks since boot: with the pid it identifies a process for good.
 */
record ProcStat(long pid, char state, long pgrp, long utimeTicks, long stimeTicks, long startTicks, long rssPages) {
    /** Linux's USER_HZ and page size on every architecture the agent runs on. */
    static final long TICK_NANOS = 10_000_000L;
    static final long PAGE_BYTES = 4096;

    static Optional<ProcStat> read(long pid) {
        try {
            return Optional.of(parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The comm field may hold spaces and parentheses, so fields are counted after the last ')'. */
    static ProcStat parse(String line) {
        long pid = Long.parseLong(line.substring(0, line.indexOf(' ')));
        String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state); field n is f[n - 3].
        return new ProcStat(pid, f[0].charAt(0), Long.parseLong(f[2]), Long.parseLong(f[11]), Long.parseLong(f[12]),
                Long.parseLong(f[19]), Long.parseLong(f[21]));
    }

    boolean alive() { return state != 'Z' && state != 'X'; }

    /** Every live process whose process group is {@code pgid}. */
    static List<ProcStat> group(long pgid) {
        var out = new ArrayList<ProcStat>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : dirs.toList()) {
                String name = d.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) continue;
                read(Long.parseLong(name)).filter(s -> s.pgrp == pgid && s.alive()).ifPresent(out::add);
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }
}
