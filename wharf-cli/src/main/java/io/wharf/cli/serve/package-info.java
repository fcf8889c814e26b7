/**
 * Commands that run the control plane in this process: {@code wharf dev} (laptop mode on an
 * embedded store, with a banner) and {@code wharf server} (a control-plane server on an
 * embedded store or an etcd cluster). Both run until SIGINT/SIGTERM and then shut down in
 * reverse start order: control plane, then store ({@link io.wharf.cli.serve.RunningControlPlane}).
 */
package io.wharf.cli.serve;
