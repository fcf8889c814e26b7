package io.wharf.testkit.external;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds an installed program a test needs (etcd, dockerd, dig, ...).
 *
 * <p>When the program is missing the test must not silently pass: if the system property
 * {@value #REQUIRE_EXTERNAL} is {@code "true"} (CI sets it) {@link #require} throws
 * {@link IllegalStateException}, otherwise it aborts the test through JUnit's
 * {@link Assumptions#abort} so it shows as skipped.
 */
public final class ExternalProgram {
  /** System property that turns a missing program from "skip" into "fail". */
  public static final String REQUIRE_EXTERNAL = "wharf.requireExternal";

  private ExternalProgram() {}

  /**
   * The program's path: the one named by system property {@code overrideProperty} if set, else
   * the first executable among {@code candidates}, else {@code name} found on {@code PATH}.
   */
  public static Optional<Path> find(String name, String overrideProperty, Path... candidates) {
    String override = System.getProperty(overrideProperty);
    if (override != null && !override.isBlank()) {
      Path p = Path.of(override);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    List<Path> search = new ArrayList<>(List.of(candidates));
    String pathEnv = System.getenv("PATH");
    if (pathEnv != null) {
      for (String dir : pathEnv.split(File.pathSeparator)) {
        if (!dir.isEmpty()) {
          search.add(Path.of(dir, name));
        }
      }
    }
    return search.stream().filter(Files::isExecutable).findFirst();
  }

  /** Like {@link #find}, but fails or aborts the test (see class comment) when it is missing. */
  public static Path require(String name, String overrideProperty, Path... candidates) {
    Optional<Path> found = find(name, overrideProperty, candidates);
    if (found.isPresent()) {
      return found.get();
    }
    String message = name + " not found (looked at " + List.of(candidates) + ", PATH and system property "
        + overrideProperty + ")";
    if (Boolean.getBoolean(REQUIRE_EXTERNAL)) {
      throw new IllegalStateException(message + "; " + REQUIRE_EXTERNAL + "=true so this is a failure");
    }
    Assumptions.abort(message + "; skipping (set " + REQUIRE_EXTERNAL + "=true to fail instead)");
    throw new AssertionError("unreachable");
  }
}
