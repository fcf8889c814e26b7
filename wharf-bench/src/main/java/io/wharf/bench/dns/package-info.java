/** The DNS benchmark: dnsperf against Wharf's DNS server and dnsmasq serving the same names. */
package io.wharf.bench.dns;
