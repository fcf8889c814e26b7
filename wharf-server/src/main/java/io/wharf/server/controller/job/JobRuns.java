package io.wharf.server.controller.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.model.Job;
import io.wharf.model.Kind;
import io.wharf.model.codec.Decoded;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.model.workload.JobStatus;
import io.wharf.server.events.EventType;
import io.wharf.server.registry.ChangeWriter;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.server.registry.StoredObject;
import io.wharf.store.Txn;
import java.util.List;
import java.util.Optional;

/**
 * Asks for another run of a job ({@code wharf job run}): raises {@code status.requestedRun}
 * above the current run, in one transaction comparing the revision it read, with a
 * {@code RunRequested} event; the job controller then starts the run (removing the previous
 * run's instances, so a restart stops what still runs). A run still active (or already asked
 * for and not started) is refused unless {@code restart}. Thread safety: stateless.
 */
public final class JobRuns {
  private final ResourceRegistry registry;

  public JobRuns(ResourceRegistry registry) {
    this.registry = registry;
  }

  /** What a request came to. */
  public sealed interface Outcome {}

  /** Run {@code run} was requested; {@code job} is the stored object after the write. */
  public record Requested(int run, ObjectNode job) implements Outcome {}

  public record NotFound() implements Outcome {}

  /** Run {@code run} is still active (phase given) and no restart was asked for. */
  public record Active(int run, String phase) implements Outcome {}

  public Outcome request(String namespace, String name, boolean restart) {
    String key = ResourceKeys.key(ResourceType.JOB, namespace, name);
    return registry.writer().write(now -> {
      Optional<StoredObject> current = registry.read(key, ResourceType.JOB);
      if (current.isEmpty()) {
        return new ChangeWriter.Done<Outcome>(new NotFound());
      }
      Decoded<io.wharf.model.Resource> decoded = ResourceCodec.fromJson(Kind.JOB,
          registry.bytes(current.get().object()));
      if (!decoded.ok()) {
        throw new IllegalStateException("stored job " + key + " does not decode: " + decoded.problems());
      }
      JobStatus s = ((Job) decoded.value()).status();
      boolean pending = s.run() == 0 || s.requestedRun() > s.run();
      if (!restart && (pending || !s.finished())) {
        return new ChangeWriter.Done<Outcome>(new Active(Math.max(s.run(), s.requestedRun()),
            pending ? "pending" : s.phase().wire()));
      }
      int next = Math.max(Math.max(s.run(), s.requestedRun()), 0) + 1;
      ObjectNode object = current.get().object().deepCopy();
      object.withObjectProperty("status").put("requestedRun", next);
      ObjectNode stored = registry.stamped(object, ResourceRegistry.createdAt(current.get(), now), now);
      String message = !s.finished() && s.run() > 0
          ? "run " + next + " requested; restart: run " + s.run() + " is stopped"
          : "run " + next + " requested";
      return new ChangeWriter.Commit<Outcome>(List.of(new Txn.Compare(key, current.get().revision())),
          List.of(new Txn.Put(key, registry.bytes(stored))),
          List.of(ResourceRegistry.draft(EventType.Updated, ResourceType.JOB, namespace, name, "RunRequested",
              message)),
          revision -> new Requested(next, registry.withRevision(ResourceType.JOB, key, stored, revision).object()));
    });
  }
}
