/**
 * Sequenced logs: append-only records kept in the store as numbered keys, written in the
 * transaction of the change they record. {@link io.wharf.server.sequenced.SequencedLog} is the key
 * layout and the counter that numbers entries (bumped with a compare on its revision, so writers on
 * any number of servers never hand out one number twice); {@link
 * io.wharf.server.sequenced.SequenceCounter} is one writer's cached view of that counter; {@link
 * io.wharf.server.sequenced.SequencedLogPruner} deletes from the oldest end by count and age. The
 * events ({@link io.wharf.server.events.EventLog}) and the audit log ({@link
 * io.wharf.server.audit.AuditLog}) are the two logs built on them.
 */
package io.wharf.server.sequenced;
