package io.wharf.store;

/** The lease is unknown or has expired. */
public class LeaseNotFoundException extends StoreException {
  public LeaseNotFoundException(LeaseId lease) {
    super("lease " + lease.id() + " not found or expired");
  }
}
