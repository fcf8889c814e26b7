/**
 * Operator commands on nodes and placement: {@code wharf node ls|drain|eligible} and
 * {@code wharf rebalance SERVICE}.
 */
package io.wharf.cli.node;
