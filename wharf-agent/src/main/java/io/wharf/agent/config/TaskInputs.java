package io.wharf.agent.config;

import io.wharf.agent.driver.Mount;
import io.wharf.model.Config;
import io.wharf.model.Kind;
import io.wharf.model.Resource;
import io.wharf.model.Secret;
import io.wharf.model.config.SecretValue;
import io.wharf.model.task.ConfigMount;
import io.wharf.model.task.DockerDriver;
import io.wharf.model.task.TaskSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns the {@code configs} and {@code secrets} of a task into what its driver gets:
 * <ul>
 *   <li>{@code env: NAME} — the value in variable {@code NAME}; a secret with several entries
 *       ({@code data}) gives one variable per entry, {@code NAME_<KEY>};</li>
 *   <li>{@code path: /run/configs/x} — a file written under the instance's directory on the node
 *       ({@code <dir>/<task>/configs/x}, mode as given: configs 0444, secrets 0400 by default; a
 *       secret with several entries is a directory with one file per entry). A docker task gets it
 *       bind-mounted read-only at {@code path}; process and java tasks, whose filesystem cannot be
 *       remapped, get the file's place on the node in {@code WHARF_CONFIG_<NAME>} /
 *       {@code WHARF_SECRET_<NAME>} (docker tasks get the same variables naming {@code path}).</li>
 * </ul>
 * Precedence of variables, lowest first: the agent's {@code WHARF_*}, the task's {@code env},
 * configs, secrets.
 *
 * <p>A config or secret that does not exist, or has no data, or cannot be read now (server
 * unreachable) is {@link Unavailable}, naming it, never its value: the instance waits for it
 * (state {@code waiting}) rather than fails, since creating it is all it takes to go on.
 *
 * <p>Thread safety: stateless; callers serialize writes to one instance's directory.
 */
public final class TaskInputs {
    private static final Set<PosixFilePermission> DIR_MODE = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE);

    private final ConfigSource source;

    public TaskInputs(ConfigSource source) {
        this.source = source;
    }

    /** What one task gets: variables to add and mounts to add (docker only). */
    public record Prepared(Map<String, String> env, List<Mount> mounts) {
        public Prepared {
            env = Map.copyOf(env);
            mounts = List.copyOf(mounts);
        }

        /** Variable names only: values may be secrets. */
        @Override
        public String toString() {
            return "Prepared[env keys=" + new TreeMap<>(env).keySet() + ", mounts=" + mounts + "]";
        }
    }

    /**
     * A config or secret a task takes cannot be had now: it does not exist or has no data
     * ({@link #missing()}), or the source could not be read. The message names it, never a value.
     */
    public static final class Unavailable extends RuntimeException {
        private final boolean missing;

        Unavailable(String message, boolean missing, Throwable cause) {
            super(message, cause, false, false);
            this.missing = missing;
        }

        /** True when it does not exist or has no data (as opposed to a source that did not answer). */
        public boolean missing() { return missing; }
    }

    /** True when the task takes any config or secret. */
    public static boolean uses(TaskSpec spec) {
        return !spec.configs().isEmpty() || !spec.secrets().isEmpty();
    }

    /** True when any of {@code tasks} takes the config ({@code kind} CONFIG) or secret named {@code name}. */
    public static boolean uses(List<TaskSpec> tasks, Kind kind, String name) {
        for (TaskSpec t : tasks) {
            for (ConfigMount m : kind == Kind.SECRET ? t.secrets() : t.configs()) if (m.name().equals(name)) return true;
        }
        return false;
    }

    /**
     * Reads the task's configs and secrets, writes its files under {@code dir/<task>/} and says what
     * the driver gets.
     *
     * @throws Unavailable when one does not exist, has no data or cannot be read now
     */
    public Prepared prepare(Path dir, String namespace, TaskSpec spec) {
        boolean docker = spec.driver() instanceof DockerDriver;
        var env = new TreeMap<String, String>();
        var mounts = new ArrayList<Mount>();
        for (Kind kind : List.of(Kind.CONFIG, Kind.SECRET)) {
            String folder = kind == Kind.SECRET ? "secrets" : "configs";
            for (ConfigMount m : kind == Kind.SECRET ? spec.secrets() : spec.configs()) {
                Map<String, String> values = values(kind, namespace, m.name());
                if (m.env() != null) {
                    if (values.size() == 1 && values.containsKey("")) env.put(m.env(), values.get(""));
                    else values.forEach((key, v) -> env.put(m.env() + "_" + envSuffix(key), v));
                    continue;
                }
                Path file = dir.resolve(spec.name()).resolve(folder).resolve(m.name());
                write(file, values, m.mode());
                String var = (kind == Kind.SECRET ? "WHARF_SECRET_" : "WHARF_CONFIG_") + envSuffix(m.name());
                if (docker) {
                    mounts.add(new Mount(Mount.Kind.HOST_PATH, file.toString(), m.path(), true));
                    env.put(var, m.path());
                } else {
                    env.put(var, file.toString());
                }
            }
        }
        return new Prepared(env, mounts);
    }

    /**
     * A digest of every config and secret value the tasks take: equal digests, equal inputs. Kept
     * in memory only; it tells whether a change of a config or secret concerns an instance.
     *
     * @throws Unavailable when one does not exist, has no data or cannot be read now
     */
    public String digest(String namespace, List<TaskSpec> tasks) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (TaskSpec t : tasks) {
                for (Kind kind : List.of(Kind.CONFIG, Kind.SECRET)) {
                    for (ConfigMount m : kind == Kind.SECRET ? t.secrets() : t.configs()) {
                        sha.update((kind.name() + "\0" + m.name() + "\0").getBytes(StandardCharsets.UTF_8));
                        Map<String, String> values = values(kind, namespace, m.name());
                        values.forEach((k, v) -> sha.update((k + "\0" + v + "\0").getBytes(StandardCharsets.UTF_8)));
                    }
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** The value(s) of a config or secret by entry key; "" is the key of a single value. */
    private Map<String, String> values(Kind kind, String namespace, String name) {
        String what = (kind == Kind.SECRET ? "secret " : "config ") + name;
        Resource r;
        try {
            r = source.find(kind, namespace, name)
                    .orElseThrow(() -> new Unavailable(what + " not found in namespace " + namespace, true, null));
        } catch (Unavailable u) {
            throw u;
        } catch (RuntimeException unreadable) {
            throw new Unavailable("cannot read " + what + " in namespace " + namespace + ": " + unreadable.getMessage(),
                    false, unreadable);
        }
        return switch (r) {
            case Config c when c.spec().data() != null -> Map.of("", c.spec().data());
            case Secret s when s.spec().value() != null -> Map.of("", s.spec().value().reveal());
            case Secret s when !s.spec().data().isEmpty() -> {
                var out = new TreeMap<String, String>();
                for (Map.Entry<String, SecretValue> e : s.spec().data().entrySet()) out.put(e.getKey(), e.getValue().reveal());
                yield out;
            }
            default -> throw new Unavailable(what + " has no data", true, null);
        };
    }

    /** Writes a value as a file, or several as a directory of files, each by rename with its mode. */
    private static void write(Path target, Map<String, String> values, int mode) {
        try {
            Files.createDirectories(target.getParent());
            if (values.size() == 1 && values.containsKey("")) {
                writeFile(target, values.get(""), mode);
                return;
            }
            Files.createDirectories(target);
            Files.setPosixFilePermissions(target, DIR_MODE);
            for (Map.Entry<String, String> e : values.entrySet()) writeFile(target.resolve(e.getKey()), e.getValue(), mode);
        } catch (IOException e) {
            // The path names the config, never its value.
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    private static void writeFile(Path file, String value, int mode) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
        Files.writeString(tmp, value);
        Files.setPosixFilePermissions(tmp, permissions(mode));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static Set<PosixFilePermission> permissions(int mode) {
        var out = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++) if ((mode & (1 << i)) != 0) out.add(bits[i]);
        return out;
    }

    /** {@code db-url} gives {@code DB_URL}. */
    static String envSuffix(String name) {
        return name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
