/**
 * End-to-end tests with real processes: {@code wharf dev} in a child JVM (killed with SIGKILL
 * to prove durability) and the CLI run as separate processes against it.
 */
package io.wharf.cli.e2e;
