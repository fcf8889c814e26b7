/**
 * Resource persistence over the store: the key layout ({@link io.wharf.server.registry.ResourceKeys}),
 * reads and filtered pages, and conditional writes that commit with their events in one
 * transaction ({@link io.wharf.server.registry.ChangeWriter}). Objects here are already
 * validated JSON trees; outcomes such as "not found" or "stale revision" are
 * {@link io.wharf.server.registry.WriteResult} values that the API layer maps to HTTP.
 */
package io.wharf.server.registry;
