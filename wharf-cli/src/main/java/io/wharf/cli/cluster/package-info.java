/** The control-plane servers of a cluster as operators see them: {@code wharf server members}. */
package io.wharf.cli.cluster;
