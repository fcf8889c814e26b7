/** What sealing secrets at rest costs: applies of secrets beside the same applies of configs, and a key rotation. */
package io.wharf.bench.secrets;
