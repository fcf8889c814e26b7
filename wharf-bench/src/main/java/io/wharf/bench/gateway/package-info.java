/** Gateway benchmarks run from Java: readiness change to gateway routing (the proxy bench is scripts/bench-gateway). */
package io.wharf.bench.gateway;
