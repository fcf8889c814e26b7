package io.wharf.scheduler.rank;

import java.util.Arrays;

/**
 * Spreads one batch: the node whose value group holds the fewest instances of the workload
 * (when spreading over an attribute; otherwise one group), then the node holding the fewest, then
 * the least loaded, then the lower index — the same order as a full scan, kept in one binary heap
 * per group so each placement costs O(groups + log nodes) instead of O(nodes).
 *
 * <p>Exact because placing an instance changes only the placed node's key (its count and load)
 * and its group's count: the round polls the best node, places it, and offers it again with its
 * new key if it still fits. Keys are read when a node is offered. Confined to the round's thread.
 */
public final class SpreadQueue {
  private final Load load;
  private final long cpu;
  private final long memory;
  private final int[] instances;
  private final int[] groupOf;
  private final int[] groupCounts;
  private final int[] keyCount;
  private final double[] keyUtilization;
  private final int[][] heaps;
  private final int[] sizes;

  /** {@code groupOf}/{@code groupCounts} null: spread over nodes. Arrays are the round's live counters. */
  public SpreadQueue(Load load, long cpu, long memory, int[] instances, int[] groupOf, int[] groupCounts) {
    this.load = load;
    this.cpu = cpu;
    this.memory = memory;
    this.instances = instances;
    this.groupOf = groupOf;
    this.groupCounts = groupCounts;
    int nodes = instances.length;
    this.keyCount = new int[nodes];
    this.keyUtilization = new double[nodes];
    int groups = groupCounts == null ? 1 : groupCounts.length;
    this.heaps = new int[groups][];
    this.sizes = new int[groups];
  }

  public void offer(int node) {
    keyCount[node] = instances[node];
    keyUtilization[node] = load.utilizationWith(node, cpu, memory);
    int g = groupOf == null ? 0 : groupOf[node];
    int[] heap = heaps[g];
    if (heap == null) {
      heap = heaps[g] = new int[16];
    } else if (sizes[g] == heap.length) {
      heap = heaps[g] = Arrays.copyOf(heap, heap.length * 2);
    }
    int at = sizes[g]++;
    heap[at] = node;
    while (at > 0) {
      int parent = (at - 1) >>> 1;
      if (!before(heap[at], heap[parent])) {
        break;
      }
      swap(heap, at, parent);
      at = parent;
    }
  }

  /** Removes and returns the best node, or -1 when empty. */
  public int poll() {
    int best = -1;
    int bestGroup = -1;
    for (int g = 0; g < heaps.length; g++) {
      if (sizes[g] == 0) {
        continue;
      }
      int head = heaps[g][0];
      if (best < 0) {
        best = head;
        bestGroup = g;
        continue;
      }
      int gc = groupCounts == null ? 0 : groupCounts[g];
      int bc = groupCounts == null ? 0 : groupCounts[bestGroup];
      if (gc < bc || (gc == bc && before(head, best))) {
        best = head;
        bestGroup = g;
      }
    }
    if (best >= 0) {
      removeHead(bestGroup);
    }
    return best;
  }

  private void removeHead(int g) {
    int[] heap = heaps[g];
    int size = --sizes[g];
    heap[0] = heap[size];
    int at = 0;
    while (true) {
      int left = 2 * at + 1;
      if (left >= size) {
        return;
      }
      int child = left + 1 < size && before(heap[left + 1], heap[left]) ? left + 1 : left;
      if (!before(heap[child], heap[at])) {
        return;
      }
      swap(heap, at, child);
      at = child;
    }
  }

  private boolean before(int a, int b) {
    if (keyCount[a] != keyCount[b]) {
      return keyCount[a] < keyCount[b];
    }
    if (keyUtilization[a] != keyUtilization[b]) {
      return keyUtilization[a] < keyUtilization[b];
    }
    return a < b;
  }

  private static void swap(int[] heap, int i, int j) {
    int t = heap[i];
    heap[i] = heap[j];
    heap[j] = t;
  }
}
