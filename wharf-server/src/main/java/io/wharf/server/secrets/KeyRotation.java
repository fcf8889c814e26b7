package io.wharf.server.secrets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.server.events.EventType;
import io.wharf.server.registry.ChangeWriter;
import io.wharf.server.registry.ListPage;
import io.wharf.server.registry.ResourceRegistry;
import io.wharf.server.registry.ResourceType;
import io.wharf.server.registry.StoredObject;
import io.wharf.store.KeyValue;
import io.wharf.store.Txn;
import java.util.List;
import java.util.Optional;

/**
 * Re-seals stored secrets with the active key: after a key was added to the keyring (first in
 * the key file), every secret sealed with an older key — or stored in plaintext by a version
 * before sealing — is opened and sealed again, one transaction per secret that compares the
 * secret's revision (a concurrent write wins and is re-read). The spec is unchanged, so agents
 * restart nothing. The server's own key material ({@link SealedKeyMaterial}: signing keys, TOTP
 * secrets, the cluster CA key) is re-sealed the same way. Afterwards no stored value needs the
 * older keys and they may be removed.
 *
 * <p>Thread safety: safe for many threads; writes go through the registry's {@link ChangeWriter}.
 */
public final class KeyRotation {
  private static final int PAGE = 500;

  private final ResourceRegistry registry;
  private final SecretSealer sealer;
  private final SealedKeyMaterial keyMaterial;

  /** A rotation of Secret resources only. */
  public KeyRotation(ResourceRegistry registry, SecretSealer sealer) {
    this(registry, sealer, new SealedKeyMaterial(registry.store(), io.wharf.model.codec.ResourceCodec.json(), sealer, List.of()));
  }

  /** A rotation of Secret resources and the server's key material. */
  public KeyRotation(ResourceRegistry registry, SecretSealer sealer, SealedKeyMaterial keyMaterial) {
    this.registry = registry;
    this.sealer = sealer;
    this.keyMaterial = keyMaterial;
  }

  /**
   * What a rotation did: the active key, how many secrets it re-sealed and how many were already
   * sealed with it, and how many key-material values it re-sealed.
   */
  public record Result(String activeKey, List<String> keys, int resealed, int unchanged, int keyMaterialResealed) {
    public Result {
      keys = List.copyOf(keys);
    }
  }

  /** Reads the key source again, then re-seals every secret not sealed with the active key. */
  public Result rotate() {
    SecretKeyring ring = sealer.reload();
    int[] counts = new int[2];
    forEachSecret(stored -> counts[reseal(stored) ? 0 : 1]++);
    resealSnapshots();
    int material = keyMaterial.reseal();
    return new Result(ring.activeId(), ring.ids(), counts[0], counts[1], material);
  }

  /** Seals secrets a version before sealing stored in plaintext (at server start); returns how many. */
  public int sealPlaintext() {
    int[] count = {0};
    forEachSecret(stored -> {
      if (hasPlaintext(stored.object()) && reseal(stored)) {
        count[0]++;
      }
    });
    return count[0];
  }

  private static boolean hasPlaintext(ObjectNode object) {
    ObjectNode spec = object.path("spec") instanceof ObjectNode s ? s : null;
    if (spec == null) {
      return false;
    }
    if (spec.path("value").isTextual()) {
      return true;
    }
    for (var it = spec.path("data").elements(); it.hasNext(); ) {
      if (it.next().isTextual()) {
        return true;
      }
    }
    return false;
  }

  private void forEachSecret(java.util.function.Consumer<StoredObject> each) {
    String after = null;
    do {
      ListPage page = registry.list(ResourceType.SECRET, null, o -> true, PAGE, after);
      page.items().forEach(each);
      after = page.continueAfter();
    } while (after != null);
  }

  /**
   * Re-seals the kept revisions of secrets that services' templates took
   * ({@code controller.rollout.TemplateInputs}), so removing an old key leaves them readable.
   * Each is one transaction comparing its revision; no event (they are not resources).
   */
  private void resealSnapshots() {
    String prefix = io.wharf.server.controller.rollout.TemplateInputs.SNAPSHOTS + "secrets/";
    for (KeyValue kv : registry.store().range(prefix).kvs()) {
      registry.writer().write(now -> {
        Optional<KeyValue> current = registry.store().get(kv.key());
        if (current.isEmpty()) {
          return new ChangeWriter.Done<>(false);
        }
        ObjectNode object = registry.decode(ResourceType.SECRET, current.get()).object().deepCopy();
        object.withObjectProperty("metadata").remove("revision");
        if (sealer.sealedWithActiveKey(object)) {
          return new ChangeWriter.Done<>(false);
        }
        return new ChangeWriter.Commit<>(List.of(new Txn.Compare(kv.key(), current.get().modRevision())),
            List.of(new Txn.Put(kv.key(), registry.bytes(sealer.reseal(object)))), List.of(), revision -> true);
      });
    }
  }

  /** Re-seals one secret unless it is (now) sealed with the active key; true when it wrote. */
  private boolean reseal(StoredObject seen) {
    String key = seen.key();
    return registry.writer().write(now -> {
      Optional<KeyValue> current = registry.store().get(key);
      if (current.isEmpty()) {
        return new ChangeWriter.Done<>(false);
      }
      StoredObject stored = registry.decode(ResourceType.SECRET, current.get());
      ObjectNode object = stored.object().deepCopy();
      object.withObjectProperty("metadata").remove("revision");
      if (sealer.sealedWithActiveKey(object)) {
        return new ChangeWriter.Done<>(false);
      }
      ObjectNode next = sealer.reseal(object);
      return new ChangeWriter.Commit<>(List.of(new Txn.Compare(key, current.get().modRevision())),
          List.of(new Txn.Put(key, registry.bytes(next))),
          List.of(ResourceRegistry.draft(EventType.Updated, ResourceType.SECRET, stored.namespace(), stored.name(),
              "KeyRotated", "sealed with key " + sealer.keyring().activeId())),
          revision -> true);
    });
  }
}
