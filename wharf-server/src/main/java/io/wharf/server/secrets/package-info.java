/**
 * Secret values at rest: a {@link io.wharf.server.secrets.SecretKeyring} of AES-256 keys (one
 * active, older ones kept to read what they sealed), read from a key file or an environment
 * variable ({@link io.wharf.server.secrets.KeySource}); the {@link io.wharf.server.secrets.SecretSealer}
 * that turns every value of a Secret into an AES-GCM {@link io.wharf.server.secrets.Envelope}
 * before it reaches the store and opens it again for the one guarded read; the
 * {@link io.wharf.server.secrets.SecretRedaction} of every other answer; and the
 * {@link io.wharf.server.secrets.KeyRotation} that re-seals every secret with the active key.
 *
 * <p>The store never holds a plaintext value, and no message of this package quotes one.
 */
package io.wharf.server.secrets;
