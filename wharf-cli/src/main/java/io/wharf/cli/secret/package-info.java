/** {@code wharf secret rotate-key|add-key}: the keyring that seals secrets, as operators rotate it. */
package io.wharf.cli.secret;
