/**
 * Events: a record of every change to a resource (Created, Updated, Deleted, with the involved
 * object, a reason and a message), written in the same store transaction as the change itself
 * ({@link io.wharf.server.events.EventLog}), numbered so they list in revision order, and pruned
 * to the newest N by {@link io.wharf.server.events.EventPruner}.
 */
package io.wharf.server.events;
