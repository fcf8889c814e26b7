/** Loopback networking for tests: picking free 127.0.0.1 ports for servers tests start. */
package io.wharf.testkit.net;
