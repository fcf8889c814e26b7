/**
 * The embedded {@link io.wharf.store.Store} backend: an H2 MVStore file plus a write-ahead log in
 * one directory, for a laptop or a small site ({@code wharf dev}). It owns the on-disk layout
 * (keys, revision history, meta, lease TTLs; log segments), group commit (every acknowledged
 * write is fsynced; concurrent writers share one fsync), checkpoints and log replay, snapshot
 * reads, watch fan-out with replay from history, lease expiry driven by an injectable clock, and
 * automatic history retention.
 *
 * <p>Entry point: {@link io.wharf.store.embedded.EmbeddedStore#open(java.nio.file.Path)}.
 * Thread model: callers hand writes to one applier thread (the single writer) and read
 * lock-free on their own threads; one syncer thread fsyncs and acknowledges; one dispatcher
 * thread fans revisions out to watches; each watch has its own delivery thread; one maintenance
 * thread expires leases and compacts history.
 */
package io.wharf.store.embedded;
