/**
 * The {@code java} driver: a JVM started as a host process (everything the process driver does:
 * own session, logs, recovery), with the command line built from a jar or a main class and
 * classpath, JVM options, and a heap sized from the task's memory limit.
 */
package io.wharf.agent.driver.java;
