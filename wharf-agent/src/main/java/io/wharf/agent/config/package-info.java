/**
 * Configs and secrets given to tasks: {@link io.wharf.agent.config.TaskInputs} reads the values a
 * task's {@code configs} and {@code secrets} name (through a {@link io.wharf.agent.config.ConfigSource},
 * the server's API in a running agent), writes the file ones into the instance's directory on the
 * node (secrets with their mode, 0400 by default) and turns them into environment variables and
 * read-only mounts. An instance of a service reads the revisions its template took (the server
 * keeps them), so a changed config reaches a node only as the new instances of the service's
 * rollout; nothing here restarts a running instance. {@link io.wharf.agent.config.ConfigWatch}
 * follows changes of configs and secrets only to wake instances waiting for one.
 *
 * <p>Secret values never reach a log line, an exception message or a status: only names do.
 */
package io.wharf.agent.config;
