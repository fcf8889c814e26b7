/**
 * Rolling updates of services: which instances a rollout starts and stops
 * ({@link io.wharf.server.controller.rollout.RolloutPlanner}, pure), how long each instance has
 * been ready ({@link io.wharf.server.controller.rollout.ReadySince}), and the rollout's state in
 * the service's status with its writes: start, progress, pause for canaries, promotion,
 * success, failure and automatic rollback ({@link io.wharf.server.controller.rollout.Rollouts}).
 * The operator actions of {@code api.RolloutRoutes} (promote, undo, restart) write through
 * {@link io.wharf.server.controller.rollout.RolloutActions}.
 */
package io.wharf.server.controller.rollout;
