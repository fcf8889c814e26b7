package io.wharf.server.controller.cron;

import io.wharf.model.Job;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Names, labels and keys of the runs a cron job starts. A scheduled run of slot {@code S} is the
 * Job {@code <cron>-<S in epoch seconds>} labelled {@code wharf.io/cronjob=<cron>} and
 * {@code wharf.io/slot=<S as 20261025T003000Z>}, and its lease is the key
 * {@code /wharf/cron-slots/<ns>/<cron>/<S in epoch seconds>}. A manual run (trigger) is
 * {@code <cron>-m<epoch millis>} with {@code wharf.io/trigger=manual}. Its tasks get the
 * environment {@code WHARF_RUN_ID} (the fencing token) and {@code WHARF_SLOT} (ISO-8601).
 */
public final class CronRuns {
  private CronRuns() {}

  public static final String CRONJOB_LABEL = "wharf.io/cronjob";
  public static final String SLOT_LABEL = "wharf.io/slot";
  public static final String TRIGGER_LABEL = "wharf.io/trigger";
  public static final String RUN_ID_ENV = "WHARF_RUN_ID";
  public static final String SLOT_ENV = "WHARF_SLOT";
  public static final String LEASE_ROOT = "/wharf/cron-slots/";
  /** Job names are DNS labels (≤ 63); the cron job's part is cut to leave room for the suffix. */
  private static final int MAX_BASE = 63 - 1 - 14;
  static final DateTimeFormatter COMPACT =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  public static String jobName(String cron, Instant slot) {
    return base(cron) + "-" + slot.getEpochSecond();
  }

  public static String manualJobName(String cron, Instant at) {
    return base(cron) + "-m" + at.toEpochMilli();
  }

  private static String base(String cron) {
    String b = cron.length() > MAX_BASE ? cron.substring(0, MAX_BASE) : cron;
    while (b.endsWith("-")) {
      b = b.substring(0, b.length() - 1);
    }
    return b;
  }

  /** The slot as a label value (labels cannot hold ':'): {@code 20261025T003000Z}. */
  public static String slotLabel(Instant slot) {
    return COMPACT.format(slot);
  }

  public static String leasePrefix(String namespace, String cron) {
    return LEASE_ROOT + namespace + "/" + cron + "/";
  }

  public static String leaseKey(String namespace, String cron, Instant slot) {
    return leasePrefix(namespace, cron) + slot.getEpochSecond();
  }

  /** The cron job that started {@code job}, from its label. */
  public static Optional<String> owner(Job job) {
    return Optional.ofNullable(job.metadata().labels().get(CRONJOB_LABEL));
  }
}
