/**
 * Read commands: {@code get} (tables with kind-specific columns, or JSON/YAML),
 * {@code describe} (every field of one object plus its recent events) and {@code events}
 * (list, or follow through the watch API).
 */
package io.wharf.cli.read;
