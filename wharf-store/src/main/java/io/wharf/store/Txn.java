package io.wharf.store;

import java.util.List;

/**
 * An atomic transaction: if every {@link Compare} holds, {@code onSuccess} is applied,
 * otherwise {@code onFailure}. A transaction with no compares always succeeds.
 */
public record Txn(List<Compare> compares, List<Op> onSuccess, List<Op> onFailure) {
  public Txn {
    compares = List.copyOf(compares);
    onSuccess = List.copyOf(onSuccess);
    onFailure = List.copyOf(onFailure);
  }

  public static Txn of(List<Compare> compares, List<Op> ops) {
    return new Txn(compares, ops, List.of());
  }

  /** A compare on one key's modification revision; {@code 0} means "the key does not exist". */
  public record Compare(String key, long modRevision) {
    public static Compare absent(String key) {
      return new Compare(key, 0);
    }
  }

  /** One write of a transaction. */
  public sealed interface Op permits Put, Delete, DeletePrefix {}

  /** Sets {@code key} to {@code value}, attached to {@code lease} (or {@link LeaseId#NONE}). */
  public record Put(String key, byte[] value, LeaseId lease) implements Op {
    public Put(String key, byte[] value) {
      this(key, value, LeaseId.NONE);
    }
  }

  /** Deletes {@code key} if present. */
  public record Delete(String key) implements Op {}

  /** Deletes every key starting with {@code prefix}. */
  public record DeletePrefix(String prefix) implements Op {}
}
