/** Gateway metrics in Prometheus form (Micrometer), low-cardinality labels only. */
package io.wharf.gateway.metrics;
