/**
 * The {@code wharf} command line: the root command ({@link io.wharf.cli.Main}), the options
 * every command shares, and the one place that turns failures into {@code error: ...} lines
 * and exit codes ({@link io.wharf.cli.ExitCode}). Commands live in capability packages:
 * {@code stack} (plan, apply), {@code read} (get, describe, events), {@code delete},
 * {@code serve} (dev and server: the control plane in this process); {@code output} renders
 * tables and documents.
 */
package io.wharf.cli;
