package io.wharf.server.controller.dependency;

import io.wharf.model.workload.JobPhase;

/** What a dependency looks like now, as the gate needs it. */
public sealed interface DependencyState {

  /** No service or job of that name in the namespace (yet). */
  record Missing() implements DependencyState {}

  /** A service: instances it wants, those running, those ready (running and passing readiness). */
  record ServiceState(int desired, int running, int ready) implements DependencyState {}

  /** A job, by the phase its controller reports. */
  record JobState(JobPhase phase) implements DependencyState {}

  DependencyState MISSING = new Missing();
}
