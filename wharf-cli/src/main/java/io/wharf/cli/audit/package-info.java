/** {@code wharf audit}: the audit log as a table or JSON lines, and followed as it grows. */
package io.wharf.cli.audit;
