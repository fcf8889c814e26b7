/**
 * Stacks: {@link io.wharf.server.stack.StackPlanner} diffs a parsed stack file against the store
 * (create, update with field diffs, unchanged, delete of objects the stack labelled but no longer
 * declares), and {@link io.wharf.server.stack.StackApplier} commits a plan whole in one
 * transaction guarded by a revision compare on every key it read.
 */
package io.wharf.server.stack;
