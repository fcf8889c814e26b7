/**
 * The node controller: marks a ready node {@code down} (event {@code NodeDown}) when its liveness
 * lease key is gone. Heartbeats mark nodes ready again ({@link io.wharf.server.nodes.NodeLiveness}).
 */
package io.wharf.server.controller.node;
