/**
 * Start and stop order across services ({@code dependsOn}): {@link
 * io.wharf.server.controller.dependency.DependencyGate} (may a service place instances yet, given
 * its dependencies' states), {@link io.wharf.server.controller.dependency.DeletionOrder} (the
 * steps of stopping a service marked for deletion after its dependents),
 * {@link io.wharf.server.controller.dependency.Dependents} (the reverse edges, so a dependency's
 * change queues the services waiting on it) and {@link
 * io.wharf.server.controller.dependency.StartWaves} (the order {@code wharf plan} shows). The
 * gate, the deletion steps and the waves are pure: no I/O, time comes in as an argument.
 */
package io.wharf.server.controller.dependency;
