/**
 * The service controller: keeps each Service at {@code spec.replicas} Instances placed by the
 * scheduler ({@code wharf-scheduler}), replaces instances whose tasks differ from the service's
 * one at a time, deletes the instances of deleted services, marks instances on down nodes lost
 * and re-runs them when their node is back, and keeps {@code service.status} counts. Before it
 * places new instances it asks {@code controller.dependency.DependencyGate} whether the service's
 * dependencies are met, and a service a stack deletion labelled stops after its dependents
 * ({@code DependencySteps}). Jobs and cron jobs are not handled here.
 */
package io.wharf.server.controller.service;
