/**
 * Leader election among the servers sharing one store: {@link io.wharf.server.leader.LeaderElection}
 * holds the key {@value io.wharf.server.leader.LeaderElection#KEY} on a store lease (created only
 * when absent), renews it, steps down before the lease could lapse, and watches the key to take
 * over when it vanishes. The elected server's {@link io.wharf.server.leader.Term} carries the
 * fencing compare that every background write of the leader adds to its transaction. On the
 * embedded store a single server is simply always the leader.
 */
package io.wharf.server.leader;
