/**
 * What authenticating an API call costs: the latency and throughput of a cheap authenticated GET,
 * and how many store reads each call makes ({@link io.wharf.bench.auth.AuthBench}).
 */
package io.wharf.bench.auth;
