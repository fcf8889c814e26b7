/**
 * {@code wharf dev}: the laptop mode — the control plane on an embedded store in one process,
 * running until SIGINT/SIGTERM and then shutting down in reverse start order (control plane,
 * then store).
 */
package io.wharf.cli.dev;
