package io.wharf.model.schema;

import io.wharf.model.document.Fields;
import io.wharf.model.document.Paths;
import io.wharf.model.document.Problems;
import io.wharf.model.document.Tree;
import io.wharf.model.task.ConfigMount;
import io.wharf.model.task.VolumeMount;
import io.wharf.model.validation.Names;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a task mounts: volumes (named or host paths, also as Compose-style {@code SRC:TARGET[:ro]})
 * and configs/secrets (as env vars or files with an octal mode). References to named volumes,
 * configs and secrets are recorded for the stack checks.
 */
final class MountSchema {
    private MountSchema() {}

    /** Two mounts on one file path, or two mounts into one env var, cannot both win. */
    static void clashes(Fields f, List<VolumeMount> volumes, List<ConfigMount> configs, List<ConfigMount> secrets) {
        Map<String, String> paths = new HashMap<>();
        Map<String, String> envs = new HashMap<>();
        for (int i = 0; i < volumes.size(); i++) {
            claim(f, paths, volumes.get(i).target(), "volumes[" + i + "]", "target", "mounted");
        }
        for (String key : List.of("configs", "secrets")) {
            List<ConfigMount> mounts = key.equals("configs") ? configs : secrets;
            for (int i = 0; i < mounts.size(); i++) {
                ConfigMount m = mounts.get(i);
                if (m.path() != null) claim(f, paths, m.path(), key + "[" + i + "]", "path", "mounted");
                if (m.env() != null) claim(f, envs, m.env(), key + "[" + i + "]", "env", "set");
            }
        }
    }
    private static void claim(Fields f, Map<String, String> taken, String value, String where, String field, String verb) {
        String first = taken.putIfAbsent(value, where);
        if (first != null) f.problems().add(Paths.field(f.path(where), field), "\"" + value + "\" is already " + verb + " by " + first);
    }
    static VolumeMount volume(Tree t, String path, Problems problems) {
        if (t instanceof Tree.Scalar s) {
            // Compose short form SOURCE:TARGET[:ro|rw]; a source starting with / or . is a host path.
            String[] parts = s.text().split(":");
            if (parts.length < 2 || parts.length > 3 || (parts.length == 3 && !parts[2].matches("ro|rw"))) {
                problems.add(path, "must be NAME:TARGET[:ro] or /HOST/PATH:TARGET[:ro], got \"" + s.text() + "\"");
                return null;
            }
            boolean host = parts[0].startsWith("/") || parts[0].startsWith(".");
            if (!host) {
                var bad = Names.dnsLabelProblem(parts[0]);
                if (bad.isPresent()) problems.add(path, bad.get());
                else problems.refer("volume", parts[0], path);
            }
            if (!parts[1].startsWith("/")) problems.add(path, "target must be an absolute path, got \"" + parts[1] + "\"");
            return new VolumeMount(host ? null : parts[0], host ? parts[0] : null, parts[1],
                    parts.length == 3 && parts[2].equals("ro"));
        }
        Fields f = Fields.of(t, path, problems);
        if (!f.isMapping()) return null;
        String name = f.name("name", false);
        String hostPath = f.string("hostPath");
        if (name != null) problems.refer("volume", name, f.path("name"));
        if (name == null && hostPath == null && !f.has("name")) f.problem("name", "is required (a named volume, or hostPath)");
        if (name != null && hostPath != null) f.problem("hostPath", "use either name or hostPath, not both");
        if (hostPath != null && !hostPath.startsWith("/")) f.problem("hostPath", "must be an absolute path, got \"" + hostPath + "\"");
        String target = f.required("target");
        if (target != null && !target.startsWith("/")) f.problem("target", "must be an absolute path, got \"" + target + "\"");
        boolean readOnly = f.bool("readOnly", false);
        f.finish();
        return target == null ? null : new VolumeMount(name, hostPath, target, readOnly);
    }
    static List<ConfigMount> mounts(Fields parent, String key, String defaultDir, int defaultMode) {
        return parent.list(key, (t, path) -> {
            if (t instanceof Tree.Scalar s) {
                var bad = Names.dnsLabelProblem(s.text());
                if (bad.isPresent()) {
                    parent.problems().add(path, bad.get());
                    return null;
                }
                parent.problems().refer(key.equals("configs") ? "config" : "secret", s.text(), path);
                return new ConfigMount(s.text(), null, defaultDir + s.text(), defaultMode);
            }
            Fields f = Fields.of(t, path, parent.problems());
            if (!f.isMapping()) return null;
            String name = f.name("name", true);
            if (name != null) f.problems().refer(key.equals("configs") ? "config" : "secret", name, f.path("name"));
            String env = f.string("env");
            String file = f.string("path");
            String target = f.string("target");
            if (target != null) {
                // Compose-style target: an absolute path is a file, anything else an env var.
                if (env != null || file != null) f.problem("target", "use either target or env/path, not both");
                else if (target.startsWith("/")) file = target;
                else env = target;
            }
            if (env != null && file != null) f.problem("path", "use either env or path, not both");
            if (env != null) Names.envNameProblem(env).ifPresent(bad -> f.problem("env", bad));
            if (file != null && !file.startsWith("/")) f.problem("path", "must be an absolute path, got \"" + file + "\"");
            int mode = defaultMode;
            Tree m = f.take("mode");
            if (m != null) {
                Integer parsed = fileMode(m, f.path("mode"), f.problems());
                if (parsed != null) mode = parsed;
            }
            f.finish();
            if (name == null) return null;
            return new ConfigMount(name, env, env == null && file == null ? defaultDir + name : file, mode);
        });
    }
    /**
     * File permission bits, always read as octal digits: {@code 0440}, {@code 440} and
     * {@code "0440"} are the same. (YAML 1.1 would read an unquoted 0440 as octal and 440 as
     * decimal; here both mean r--r-----.)
     */
    static Integer fileMode(Tree t, String path, Problems problems) {
        if (t instanceof Tree.Scalar s && s.style() != Tree.Style.BOOLEAN && s.text().trim().matches("0?[0-7]{1,3}")) {
            return Integer.parseInt(s.text().trim(), 8);
        }
        problems.add(path, "must be an octal file mode like \"0440\", got " + t.describe());
        return null;
    }
}
