/**
 * Commands about running instances: {@code wharf ps}, {@code wharf logs} and {@code wharf exec}.
 * They talk only to the server's API, which proxies logs and exec to the node's agent.
 */
package io.wharf.cli.workload;
