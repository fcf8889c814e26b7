/**
 * How each spec and status is read from a document tree: field names, short forms, defaults
 * and value rules. The same readers serve stack files (YAML) and single resources (JSON), so
 * both accept the same spellings and report the same problems. Cross-resource checks
 * (references, cycles) are the stack package's.
 */
package io.wharf.model.schema;
