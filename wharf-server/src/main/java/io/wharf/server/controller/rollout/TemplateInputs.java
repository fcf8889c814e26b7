package io.wharf.server.controller.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.model.Instance;
import io.wharf.model.Service;
import io.wharf.model.codec.ResourceCodec;
import io.wharf.model.task.ConfigMount;
import io.wharf.model.task.TaskSpec;
import io.wharf.model.workload.InstanceTemplate;
import io.wharf.model.workload.Rollout;
import io.wharf.server.events.EventDraft;
import io.wharf.server.events.EventType;
import io.wharf.server.registry.ChangeWriter;
import io.wharf.server.registry.ResourceKeys;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.server.registry.StoredObject;
import io.wharf.store.KeyValue;
import io.wharf.store.Txn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The configs and secrets a service's instances are made with, as part of its instance template
 * ({@code status.inputs}: {@code config/NAME} or {@code secret/NAME} to the stored revision the
 * instances read). A changed config or secret becomes a new template, which the service's rollout
 * rolls out like any other change (rolling, canaries, health-gated, automatic rollback); nothing
 * restarts instances behind the rollout's back.
 *
 * <p>When the service takes a revision, that revision's stored value (a secret's sealed, as
 * stored) is copied to a <b>snapshot</b> key ({@link #SNAPSHOTS}), so instances of a template
 * read exactly the values it names, even after the config changed again: a rollback, an undo or
 * a replacement of an instance of the older template gets the older values. The last
 * {@value #KEEP} snapshots of each config or secret are kept.
 *
 * <p>Which revision a service takes ({@link #next}): a referenced config or secret it has not
 * taken yet; one whose revision changed after the rollout in progress started (so a rollback to
 * the earlier revision is not rolled forward again until the config changes once more); a
 * referenced one that no longer exists keeps the revision taken (its snapshot); a rewrite that
 * left the data as it was (a key rotation re-sealing a secret) changes nothing. Revisions are
 * never secret values, and the event of a change names configs and secrets only.
 *
 * <p>Thread safety: safe for many threads (the memo of {@link #sameContent} is a concurrent map);
 * the work queue runs one pass per service at a time.
 */
public final class TemplateInputs {
  /** Where snapshots live: {@code {prefix}{configs|secrets}/{ns}/{name}/{revision, 16 digits}}; never served by watches. */
  public static final String SNAPSHOTS = "/wharf/input-snapshots/";
  /** Snapshots kept per config or secret. */
  public static final int KEEP = 10;

  private static final int COMPARED = 4096;

  private final ResourceRegistry registry;
  /**
   * Answers of {@link #sameContent} by (input, taken revision, stored revision): both revisions'
   * data never change, and a service whose secret was re-sealed asks on every pass. Cleared when full.
   */
  private final Map<String, Boolean> compared = new java.util.concurrent.ConcurrentHashMap<>();

  public TemplateInputs(ResourceRegistry registry) {
    this.registry = registry;
  }

  /** Looks a config ({@code secret} false) or secret up as stored (the controllers' cache). */
  @FunctionalInterface
  public interface Lookup {
    Optional<KeyValue> find(boolean secret, String namespace, String name);
  }

  /** The inputs a service should take now, and why (empty when it keeps its own). */
  /**
   * {@code firstTaken}: every change takes a config or secret the service had not taken (it did
   * not exist); nothing it had taken changed or was dropped.
   */
  public record Next(Map<String, Long> inputs, List<String> changes, Map<String, KeyValue> taken, boolean firstTaken) {
    public Next {
      inputs = Map.copyOf(inputs);
      changes = List.copyOf(changes);
      taken = Map.copyOf(taken);
    }
  }

  /** The {@code config/NAME} and {@code secret/NAME} keys the tasks take. */
  public static TreeSet<String> referenced(List<TaskSpec> tasks) {
    TreeSet<String> out = new TreeSet<>();
    for (TaskSpec t : tasks) {
      for (ConfigMount m : t.configs()) {
        out.add(InstanceTemplate.inputKey(false, m.name()));
      }
      for (ConfigMount m : t.secrets()) {
        out.add(InstanceTemplate.inputKey(true, m.name()));
      }
    }
    return out;
  }

  /** Words for an input key: {@code config page}. */
  public static String describe(String key) {
    int slash = key.indexOf('/');
    return key.substring(0, slash) + " " + key.substring(slash + 1);
  }

  /** Whether a config or secret as stored now holds what the revision a service took held. */
  @FunctionalInterface
  public interface SameContent {
    boolean test(String inputKey, String namespace, long taken, KeyValue now);
  }

  /**
   * True when {@code now} holds the same data as the snapshot of revision {@code taken}: a
   * rewrite that changed nothing a task reads (a secret re-sealed by a key rotation, a label)
   * is not a change to roll out. Secrets are compared opened, inside the server; false when
   * either cannot be read.
   */
  public boolean sameContent(String inputKey, String namespace, long taken, KeyValue now) {
    String memo = namespace + "/" + inputKey + "@" + taken + "=" + now.modRevision();
    Boolean known = compared.get(memo);
    if (known != null) {
      return known;
    }
    boolean same = compare(inputKey, namespace, taken, now);
    if (compared.size() >= COMPARED) {
      compared.clear();
    }
    compared.put(memo, same);
    return same;
  }

  private boolean compare(String inputKey, String namespace, long taken, KeyValue now) {
    boolean secret = inputKey.startsWith("secret/");
    ResourceType type = secret ? ResourceType.SECRET : ResourceType.CONFIG;
    String name = inputKey.substring(inputKey.indexOf('/') + 1);
    Optional<KeyValue> then = registry.store().get(snapshotKey(secret, namespace, name, taken));
    if (then.isEmpty()) {
      return false;
    }
    try {
      JsonNode before = registry.plaintext(registry.decode(type, then.get())).object().path("spec");
      JsonNode after = registry.plaintext(registry.decode(type, now)).object().path("spec");
      return before.equals(after);
    } catch (io.wharf.server.secrets.UnreadableSecretException | io.wharf.store.StoreException e) {
      return false;
    }
  }

  /** What the service should take now; empty when its {@code status.inputs} stand. Pure but for {@code same}. */
  public static Optional<Next> next(Service service, Lookup lookup, SameContent same) {
    Map<String, Long> pinned = service.status().inputs();
    Rollout rollout = service.status().rollout();
    String ns = service.metadata().namespace();
    Map<String, Long> next = new TreeMap<>();
    List<String> changes = new ArrayList<>();
    Map<String, KeyValue> taken = new TreeMap<>();
    for (String key : referenced(service.spec().tasks())) {
      boolean secret = key.startsWith("secret/");
      Optional<KeyValue> stored = lookup.find(secret, ns, key.substring(key.indexOf('/') + 1));
      Long had = pinned.get(key);
      if (stored.isEmpty()) {
        if (had != null) {
          next.put(key, had); // deleted: instances keep reading the revision they took (its snapshot)
        }
        continue;
      }
      long now = stored.get().modRevision();
      boolean keep = had != null && (had == now || (rollout != null && now <= rollout.revision())
          || same.test(key, ns, had, stored.get()));
      if (keep) {
        next.put(key, had);
        continue;
      }
      next.put(key, now);
      taken.put(key, stored.get());
      changes.add(describe(key) + (had == null ? " taken" : " changed") + " (revision "
          + (had == null ? "" : had + " → ") + now + ")");
    }
    if (next.equals(pinned)) {
      return Optional.empty();
    }
    boolean firstTaken = next.keySet().containsAll(pinned.keySet())
        && pinned.entrySet().stream().allMatch(e -> e.getValue().equals(next.get(e.getKey())));
    return Optional.of(new Next(next, changes, taken, firstTaken));
  }

  /**
   * Writes {@code next} into the service's status with a snapshot of every revision taken, in one
   * transaction that compares the service's revision and each taken config's; returns the
   * committed revision, or 0 when something changed meanwhile (the pass decides again).
   */
  public long write(Service service, Next next, List<Instance> owned) {
    String ns = service.metadata().namespace();
    String name = service.metadata().name();
    String key = ResourceKeys.key(ResourceType.SERVICE, ns, name);
    boolean announce = service.status().rollout() != null && !next.changes().isEmpty() && !next.firstTaken();
    String oldHash = Rollouts.hash(service);
    String newHash = InstanceTemplate.ofService(service.spec(), service.status().withInputs(next.inputs())).hash();
    EventDraft event = announce ? ResourceRegistry.draft(EventType.Updated, ResourceType.SERVICE, ns, name,
        "InputsChanged", String.join(", ", next.changes()) + ": rolling out") : null;
    return registry.writer().write(at -> {
      Optional<StoredObject> current = registry.read(key, ResourceType.SERVICE);
      if (current.isEmpty() || current.get().revision() != service.metadata().revision()) {
        return new ChangeWriter.Done<>(0L);
      }
      List<Txn.Compare> compares = new ArrayList<>();
      List<Txn.Op> ops = new ArrayList<>();
      compares.add(new Txn.Compare(key, current.get().revision()));
      for (Map.Entry<String, KeyValue> e : next.taken().entrySet()) {
        KeyValue kv = e.getValue();
        Optional<KeyValue> stored = registry.store().get(kv.key());
        if (stored.isEmpty() || stored.get().modRevision() != kv.modRevision()) {
          return new ChangeWriter.Done<>(0L); // it changed again: the next pass takes the newer one
        }
        compares.add(new Txn.Compare(kv.key(), kv.modRevision()));
        String prefix = snapshotPrefix(e.getKey(), ns);
        ops.add(new Txn.Put(prefix + revision(kv.modRevision()), kv.value()));
        List<KeyValue> kept = registry.store().range(prefix).kvs();
        for (int i = 0; i < kept.size() - (KEEP - 1); i++) {
          if (!kept.get(i).key().endsWith(revision(kv.modRevision()))) {
            ops.add(new Txn.Delete(kept.get(i).key()));
          }
        }
      }
      if (next.firstTaken()) {
        // Instances of this template could not have read what did not exist (they wait for it):
        // they become instances of the new template, pinned to the revisions taken now, and
        // nothing is replaced. (Also how instances placed before templates took inputs are adopted.)
        for (Instance i : owned) {
          if (!oldHash.equals(i.metadata().labels().get(InstanceTemplate.LABEL)) || i.status().state().terminal()) {
            continue;
          }
          String ik = ResourceKeys.key(ResourceType.INSTANCE, ns, i.metadata().name());
          Optional<StoredObject> stored = registry.read(ik, ResourceType.INSTANCE);
          if (stored.isEmpty()) {
            continue;
          }
          ObjectNode inst = stored.get().object().deepCopy();
          inst.withObjectProperty("metadata").withObjectProperty("labels").put(InstanceTemplate.LABEL, newHash);
          ObjectNode pins = inst.withObjectProperty("spec").withObjectProperty("inputs");
          next.inputs().forEach(pins::put);
          compares.add(new Txn.Compare(ik, stored.get().revision()));
          ops.add(new Txn.Put(ik, registry.bytes(registry.stamped(inst, ResourceRegistry.createdAt(stored.get(), at),
              at))));
        }
      }
      ObjectNode object = current.get().object().deepCopy();
      ObjectNode status = object.withObjectProperty("status");
      JsonNode inputs = ResourceCodec.json().valueToTree(next.inputs());
      if (next.inputs().isEmpty()) {
        status.remove("inputs");
      } else {
        status.set("inputs", inputs);
      }
      ObjectNode stored = registry.stamped(object, ResourceRegistry.createdAt(current.get(), at), at);
      ops.add(new Txn.Put(key, registry.bytes(stored)));
      return new ChangeWriter.Commit<>(compares, ops, event == null ? List.of() : List.of(event), r -> r);
    });
  }

  /** The snapshot key prefix of an input key ({@code config/page}) in namespace {@code ns}. */
  public static String snapshotPrefix(String inputKey, String ns) {
    boolean secret = inputKey.startsWith("secret/");
    return SNAPSHOTS + (secret ? "secrets/" : "configs/") + ns + "/" + inputKey.substring(inputKey.indexOf('/') + 1)
        + "/";
  }

  /** The snapshot key of one revision of a config ({@code secret} false) or secret. */
  public static String snapshotKey(boolean secret, String ns, String name, long revision) {
    return snapshotPrefix(InstanceTemplate.inputKey(secret, name), ns) + revision(revision);
  }

  private static String revision(long r) {
    return String.format("%016d", r);
  }

  /**
   * Why {@code next} differs from {@code previous}, in words, when only configs or secrets
   * changed ({@code config page changed}); null otherwise.
   */
  public static String why(InstanceTemplate previous, InstanceTemplate next) {
    if (previous == null || !previous.tasks().equals(next.tasks())
        || !previous.restart().equals(next.restart()) || !java.util.Objects.equals(previous.restartedAt(),
        next.restartedAt()) || previous.inputs().equals(next.inputs())) {
      return null;
    }
    List<String> changed = new ArrayList<>();
    TreeSet<String> keys = new TreeSet<>(previous.inputs().keySet());
    keys.addAll(next.inputs().keySet());
    for (String k : keys) {
      if (!java.util.Objects.equals(previous.inputs().get(k), next.inputs().get(k))) {
        changed.add(describe(k));
      }
    }
    return String.join(", ", changed) + " changed";
  }
}
