/**
 * Configs and secrets given to tasks: {@link io.wharf.agent.config.TaskInputs} reads the values a
 * task's {@code configs} and {@code secrets} name (through a {@link io.wharf.agent.config.ConfigSource},
 * the server's API in a running agent), writes the file ones into the instance's directory on the
 * node (secrets with their mode, 0400 by default) and turns them into environment variables and
 * read-only mounts. {@link io.wharf.agent.config.ConfigWatch} follows changes of configs and
 * secrets so instances using a changed one are restarted with the new values.
 *
 * <p>Secret values never reach a log line, an exception message or a status: only names do.
 */
package io.wharf.agent.config;
