/**
 * Stack files: the YAML (or JSON) format users write, parsed into complete resources plus the
 * Stack that owns them, with cross-resource checks (references, dependency cycles).
 */
package io.wharf.model.stack;
