/** Credentials tests use against a control plane they start. */
package io.wharf.testkit.auth;
