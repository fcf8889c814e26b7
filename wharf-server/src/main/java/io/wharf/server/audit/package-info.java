/**
 * The audit log: one entry per mutating API call (who, what verb on which object, the store
 * revision it committed at, a diff of what changed with secret values redacted, where the call
 * came from, and the result, refusals included).
 *
 * <p>An entry of a call that changed something is written in the same store transaction as the
 * change ({@link io.wharf.server.audit.AuditTrail}, hooked into
 * {@link io.wharf.server.registry.ChangeWriter}), so an acknowledged change never lacks its
 * entry; calls that changed nothing (refused, or a no-op) get theirs appended before the answer
 * is sent ({@link io.wharf.server.audit.AuditRecorder}), except the authentication seam's 401s
 * beyond the first of their source address and reason, which are counted in windows and written
 * as one entry per window ({@link io.wharf.server.audit.RefusalWindows}). Entries live under {@code /wharf/audit/},
 * outside the resource tree, so {@code /v1/watch} never shows them; {@code GET /v1/audit} reads
 * them ({@link io.wharf.server.audit.AuditReader}) and {@link io.wharf.server.audit.AuditPruner}
 * keeps them within the retention of {@link io.wharf.server.audit.AuditSettings}.
 */
package io.wharf.server.audit;
