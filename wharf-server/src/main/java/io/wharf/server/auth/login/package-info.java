/**
 * People logging in: slow salted password hashes ({@link io.wharf.server.auth.login.PasswordHasher}),
 * TOTP second factor ({@link io.wharf.server.auth.login.Totp}), credentials and login state in the
 * store ({@link io.wharf.server.auth.login.UserCredentials}), lockouts against guessing
 * ({@link io.wharf.server.auth.login.Lockout}, {@link io.wharf.server.auth.login.FailureThrottle}),
 * and the login itself ({@link io.wharf.server.auth.login.Login}), which hands out signed tokens.
 * {@link io.wharf.server.auth.login.LoginAssembly} wires the lane for one server.
 */
package io.wharf.server.auth.login;
