/**
 * The {@code docker} driver: containers through the Docker Engine API (docker-java over a Unix
 * socket, API version pinned). Containers carry {@code wharf.instance} and {@code wharf.task}
 * labels so a new agent finds them; one events stream per driver notices dead containers at
 * once; each container's log stream is copied into the task's log files.
 */
package io.wharf.agent.driver.docker;
