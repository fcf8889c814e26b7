package io.wharf.bench.cluster;

/**
 * The benchmark's stack file: {@code services} services of the {@code sim} driver, {@code
 * replicas} each, reserving 10m CPU and 16Mi memory per instance (so a node of 2 cores holds
 * 200, and 5,000 nodes hold 1,000,000).
 */
final class ClusterStack {
  private ClusterStack() {}

  static String yaml(String stack, int services, int replicas) {
    StringBuilder sb = new StringBuilder(64 + services * 96);
    sb.append("stack: ").append(stack).append("\nnamespace: default\nservices:\n");
    for (int i = 0; i < services; i++) {
      sb.append(String.format("  svc-%04d:%n", i));
      sb.append("    driver: sim\n");
      sb.append("    replicas: ").append(replicas).append('\n');
      sb.append("    resources: {cpu: 10m, memory: 16Mi}\n");
    }
    return sb.toString();
  }
}
