/**
 * The node agent: {@link io.wharf.agent.NodeAgent} assembles drivers, runners, the node's
 * registration and its instance watch into one process component ({@code wharf agent}, and
 * the agent inside {@code wharf dev}).
 */
package io.wharf.agent;
