/**
 * The control-plane server: {@link io.wharf.server.ControlPlane} assembles the API over a store.
 *
 * <h2>Thread model</h2>
 * <ul>
 *   <li><b>HTTP requests</b> run each on its own virtual thread (Javalin's virtual-thread pool on
 *       Jetty 12). Handlers block freely on the store.</li>
 *   <li><b>Writes</b> of one server are serialized by one {@code ReentrantLock} in
 *       {@link io.wharf.server.registry.ChangeWriter}, held across read-decide-commit so the event
 *       counter is never contended inside a process; other servers are kept apart by the
 *       transactions' revision compares (a lost race re-reads and decides again). Reads take no
 *       lock.</li>
 *   <li><b>Watch fan-out</b>: one store watch on {@code /wharf/r/}, delivered on the store's
 *       watch thread to {@link io.wharf.server.watch.WatchHub}, which serializes each change once
 *       and offers it, without blocking, to every client's bounded queue (under the hub's lock,
 *       which {@code subscribe} also takes so replay and live delivery never gap or overlap). A
 *       client whose queue is full is dropped with an {@code event: closed} (reason overflow)
 *       after what it already has. A client resuming from history older than the hub's replay
 *       buffer gets a dedicated store watch, delivered on that watch's thread, which waits for
 *       room in the client's queue instead of dropping it. If the hub's store watch ends under
 *       it, every stream ends ({@code event: closed}, reason error) and a short-lived virtual
 *       thread reopens the watch from the hub's last revision, retrying every second.</li>
 *   <li><b>SSE writers</b>: each watch request's own virtual thread drains its queue and writes
 *       to the socket, sending a keep-alive comment when idle; a slow socket blocks only it.</li>
 *   <li><b>Event pruning</b>: one scheduled virtual thread
 *       ({@link io.wharf.server.events.EventPruner}) deletes events past the retention cap.</li>
 *   <li><b>Controllers</b> ({@link io.wharf.server.controller}): one store watch on {@code /wharf/}
 *       feeds the cluster cache on the store's watch thread; change handlers queue keys; worker
 *       virtual threads reconcile one key at a time each (see CONCURRENCY.md).</li>
 *   <li><b>Shutdown</b> ({@link io.wharf.server.ControlPlane#close()}): end every stream, stop
 *       Jetty, stop the controllers, close the hub's store watch, stop the pruner; the store is
 *       the caller's.</li>
 * </ul>
 */
package io.wharf.server;
