/**
 * Locating installed programs tests depend on, with the project rule for when one is missing:
 * fail under {@code wharf.requireExternal=true} (CI), skip otherwise.
 */
package io.wharf.testkit.external;
