/**
 * The embedded {@link io.wharf.store.Store} backend: one H2 MVStore file in a directory, for a
 * laptop or a small site ({@code wharf dev}). It owns the on-disk layout (keys, revision
 * history, meta, lease TTLs), group commit (every acknowledged write is fsynced; concurrent
 * writers share one fsync), snapshot reads, watch fan-out with replay from history, lease expiry
 * driven by an injectable clock, and automatic history retention.
 *
 * <p>Entry point: {@link io.wharf.store.embedded.EmbeddedStore#open(java.nio.file.Path)}.
 * Thread model: callers' threads apply writes under one writer lock and read lock-free; one
 * committer thread writes and fsyncs; one dispatcher thread fans revisions out to watches; each
 * watch has its own delivery thread; one maintenance thread expires leases and compacts history.
 */
package io.wharf.store.embedded;
