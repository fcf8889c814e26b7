/** DNS clients for tests: {@link io.wharf.testkit.dns.Dig} runs the real {@code dig}. */
package io.wharf.testkit.dns;
