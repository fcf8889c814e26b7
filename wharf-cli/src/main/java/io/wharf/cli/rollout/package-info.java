/**
 * {@code wharf rollout status|history|promote|undo|restart} and the wait of
 * {@code wharf apply --wait}: a service's rollout as the server reports it, rendered for people
 * ({@link io.wharf.cli.rollout.RolloutView}), and when a rollout has settled
 * ({@link io.wharf.cli.rollout.RolloutWait}).
 */
package io.wharf.cli.rollout;
