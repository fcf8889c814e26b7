/**
 * The agent's own HTTP endpoint: the logs and exec calls the server proxies to the agent of an
 * instance's node. Owns nothing but the listener; instances and logs belong to the agent.
 */
package io.wharf.agent.endpoint;
