/**
 * The agent's own HTTP endpoint: the logs and exec calls the server proxies to the agent of an
 * instance's node, each allowed only with the short-lived token a server minted for it
 * ({@link io.wharf.agent.endpoint.AgentCallVerifier}, checked against the servers' JWKS). Owns
 * nothing but the listener and the cached public keys; instances and logs belong to the agent.
 */
package io.wharf.agent.endpoint;
