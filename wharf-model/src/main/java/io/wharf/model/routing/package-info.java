/** Gateway routes: host and path prefix to weighted service ports, with edge policies. */
package io.wharf.model.routing;
