/**
 * Stack commands: reading a stack file ({@code -f FILE}, {@code -f -} for stdin, inlining
 * {@code file:} references of configs and secrets), {@code plan} and {@code apply} (the plan
 * rendered like terraform's, confirmation, apply pinned to the plan's revision).
 */
package io.wharf.cli.stack;
