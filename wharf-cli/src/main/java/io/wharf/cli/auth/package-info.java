/**
 * Logging in and credentials: {@code wharf login} (token saved in the credentials file),
 * {@code wharf user passwd|totp}, {@code wharf auth rotate-keys|jwks}.
 */
package io.wharf.cli.auth;
