package io.wharf.server.controller.cron;

import io.wharf.model.CronJob;
import io.wharf.model.Job;
import io.wharf.model.workload.CronJobSpec;
import io.wharf.model.workload.CronJobStatus;
import io.wharf.model.workload.JobPhase;
import io.wharf.server.cron.CronSlot;
import io.wharf.server.cron.CronSlots;
import io.wharf.server.cron.MissedSlots;
import io.wharf.server.events.EventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One pass over a cron job, decided purely from (cron job, the jobs it started, its slots, now):
 * which slot fires (if any), which jobs go (the active ones under {@code replace}, finished ones
 * past the history limits), the new status and the events. No I/O, no clock reads.
 *
 * <p>Slots in {@code (handledThrough, now]} are new (handledThrough starts at the cron job's
 * creation). Of those, {@link MissedSlots} picks the latest if it is within the starting
 * deadline; the others are reported missed. The picked slot fires unless the policy is
 * {@code forbid} and a run is active (then it is skipped and reported). Either way
 * {@code handledThrough} moves past every slot looked at, so no slot is ever decided twice.
 * A suspended cron job decides no slots: on resume the slots of the suspension are missed slots
 * (the latest runs if within the starting deadline).
 */
public final class CronPass {
  private CronPass() {}

  /** Skipped slots listed in one event at most; the rest are counted. */
  static final int REPORT_CAP = 5;

  /** A slot to fire as the job {@code jobName}. */
  public record Fire(CronSlot slot, String jobName) {}

  /** A job to delete, and why ({@code Replaced}, {@code HistoryLimit}). */
  public record Removal(Job job, String reason) {}

  /** An event about the cron job. */
  public record Note(EventType type, String reason, String message) {}

  /** The decision; {@code wakeAt} is the next slot (empty when suspended or the schedule ends). */
  public record Plan(Optional<Fire> fire, List<Removal> removals, CronJobStatus status, List<Note> notes,
      Optional<Instant> wakeAt, boolean statusChanged) {
    public Plan {
      Objects.requireNonNull(fire, "fire");
      removals = List.copyOf(removals);
      notes = List.copyOf(notes);
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(wakeAt, "wakeAt");
    }

    /** Whether the pass writes anything. */
    public boolean writes() {
      return fire.isPresent() || !removals.isEmpty() || !notes.isEmpty() || statusChanged;
    }
  }

  public static boolean finished(Job job) {
    return job.status().phase() == JobPhase.SUCCEEDED || job.status().phase() == JobPhase.FAILED;
  }

  public static Plan plan(CronJob cron, List<Job> jobs, CronSlots slots, Instant now) {
    CronJobSpec spec = cron.spec();
    CronJobStatus st = cron.status();
    Instant created = cron.metadata().createdAt() != null ? cron.metadata().createdAt() : now;
    Instant handled = st.handledThrough() != null ? st.handledThrough() : created;
    Instant lastScheduled = st.lastScheduledAt();
    Instant lastSkipped = st.lastSkippedAt();
    long skippedSlots = st.skippedSlots();
    List<Job> active = jobs.stream().filter(j -> !finished(j)).sorted(BY_AGE).toList();
    List<Removal> removals = new ArrayList<>();
    List<Note> notes = new ArrayList<>();
    Optional<Fire> fire = Optional.empty();

    if (!spec.suspend() && handled.isBefore(now)) {
      MissedSlots.Decision d = MissedSlots.decide(slots, handled, now, spec.startingDeadline(), REPORT_CAP);
      if (d.skippedCount() > 0) {
        CronSlot newest = d.skipped().getFirst();
        skippedSlots += d.skippedCount();
        lastSkipped = max(lastSkipped, newest.fires());
        handled = max(handled, newest.fires());
        String listed = d.skipped().stream().map(CronSlot::id).collect(Collectors.joining(", "));
        String why = d.runNow().isPresent() ? "a later slot runs instead"
            : "later than the starting deadline " + spec.startingDeadline();
        notes.add(new Note(EventType.Warning, "CronSlotMissed", d.skippedCount() + " missed slot(s) not run ("
            + why + "): " + listed + (d.moreSkipped() > 0 ? " and " + d.moreSkipped() + " more" : "")));
      }
      if (d.runNow().isPresent()) {
        CronSlot slot = d.runNow().get();
        handled = max(handled, slot.fires());
        String names = active.stream().map(j -> j.metadata().name()).collect(Collectors.joining(", "));
        switch (spec.concurrencyPolicy()) {
          case FORBID -> {
            if (active.isEmpty()) {
              fire = Optional.of(fire(cron, slot));
            } else {
              skippedSlots++;
              lastSkipped = max(lastSkipped, slot.fires());
              notes.add(new Note(EventType.Warning, "CronSlotSkipped", "slot " + slot.id()
                  + " skipped: concurrencyPolicy forbid and still active: " + names));
            }
          }
          case REPLACE -> {
            active.forEach(j -> removals.add(new Removal(j, "Replaced")));
            fire = Optional.of(fire(cron, slot));
          }
          case ALLOW -> fire = Optional.of(fire(cron, slot));
        }
        if (fire.isPresent()) {
          lastScheduled = max(lastScheduled, slot.fires());
        }
      }
    }

    // History: keep the newest finished runs up to each limit.
    List<Job> succeeded = jobs.stream().filter(j -> j.status().phase() == JobPhase.SUCCEEDED)
        .sorted(BY_AGE.reversed()).toList();
    List<Job> failed = jobs.stream().filter(j -> j.status().phase() == JobPhase.FAILED)
        .sorted(BY_AGE.reversed()).toList();
    succeeded.stream().skip(spec.historyLimit()).forEach(j -> removals.add(new Removal(j, "HistoryLimit")));
    failed.stream().skip(spec.failedHistoryLimit()).forEach(j -> removals.add(new Removal(j, "HistoryLimit")));

    Instant lastSuccessful = st.lastSuccessfulAt();
    for (Job j : succeeded) {
      lastSuccessful = max(lastSuccessful, j.status().completedAt() != null ? j.status().completedAt()
          : j.metadata().updatedAt());
    }
    TreeSet<String> activeNames = new TreeSet<>();
    active.forEach(j -> activeNames.add(j.metadata().name()));
    removals.forEach(r -> activeNames.remove(r.job().metadata().name()));
    fire.ifPresent(f -> activeNames.add(f.jobName()));
    Optional<Instant> next = spec.suspend() ? Optional.empty()
        : slots.next(max(handled, now)).map(CronSlot::fires);
    CronJobStatus status = new CronJobStatus(lastScheduled, lastSuccessful, next.orElse(null),
        List.copyOf(activeNames), handled, lastSkipped, skippedSlots);
    return new Plan(fire, removals, status, notes, next, !status.equals(st));
  }

  private static Fire fire(CronJob cron, CronSlot slot) {
    return new Fire(slot, CronRuns.jobName(cron.metadata().name(), slot.fires()));
  }

  private static Instant max(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isAfter(b) ? a : b;
  }

  /** Oldest first: by creation time, then name (names of scheduled runs end with the slot). */
  static final Comparator<Job> BY_AGE = Comparator
      .comparing((Job j) -> j.metadata().createdAt() == null ? Instant.MAX : j.metadata().createdAt())
      .thenComparing(j -> j.metadata().name());
}
