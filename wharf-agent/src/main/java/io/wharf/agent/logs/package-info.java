/**
 * Per-task log files: stdout and stderr of each task in its own directory, rotated by size
 * (copy, then truncate, so a writer that outlives the agent keeps appending to the same file),
 * with a time index so readers can ask for lines {@code since} an instant and follow new lines
 * as they are written ({@code tail -F}).
 */
package io.wharf.agent.logs;
