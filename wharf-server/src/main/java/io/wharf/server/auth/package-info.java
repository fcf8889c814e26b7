/**
 * Who is calling and what they may do: principals, the authenticators that prove them, and the
 * one authentication and authorisation seam every API call goes through.
 */
package io.wharf.server.auth;
