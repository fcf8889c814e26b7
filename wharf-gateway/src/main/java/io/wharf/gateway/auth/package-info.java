/** Edge authentication: JWT bearer tokens checked per route (nimbus-jose-jwt). */
package io.wharf.gateway.auth;
