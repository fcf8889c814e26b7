package io.wharf.cli.read;

import io.wharf.cli.CliException;
import io.wharf.model.Kind;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Resolves what users type for a kind: plural, singular, display name, or a short alias. */
public final class KindArgument {

  private static final Map<String, Kind> ALIASES = Map.of(
      "svc", Kind.SERVICE,
      "ns", Kind.NAMESPACE,
      "cj", Kind.CRON_JOB,
      "ev", Kind.EVENT,
      "no", Kind.NODE,
      "inst", Kind.INSTANCE,
      "cronjob", Kind.CRON_JOB,
      "cronjobs", Kind.CRON_JOB);

  private KindArgument() {
  }

  /** @throws CliException (usage) naming the kinds there are */
  public static Kind parse(String text) {
    Kind alias = ALIASES.get(text.strip().toLowerCase(Locale.ROOT));
    if (alias != null) {
      return alias;
    }
    String lower = text.strip().toLowerCase(Locale.ROOT);
    return Kind.parse(text)
        .or(() -> Arrays.stream(Kind.values())
            .filter(k -> (k.displayName().toLowerCase(Locale.ROOT) + "s").equals(lower))
            .findFirst())
        .orElseThrow(() -> CliException.usage("unknown kind \"" + text + "\"; kinds are "
            + Arrays.stream(Kind.values()).map(Kind::plural).collect(Collectors.joining(", "))));
  }
}
