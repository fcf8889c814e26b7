package io.wharf.model;

/**
 * A stored object: {@code kind}, {@code metadata}, {@code spec} (what the user wants) and
 * {@code status} (what is). Every implementation is an immutable record
 * {@code (Metadata metadata, XSpec spec, XStatus status)}; a null status becomes the kind's
 * empty status.
 */
public sealed interface Resource
        permits Namespace, Stack, Service, Job, CronJob, Route, Config, Secret, Endpoint, Node, Instance, Event {

    Kind kind();

    Metadata metadata();

    Object spec();

    Object status();

    Resource withMetadata(Metadata m);

    /** @throws ClassCastException when {@code status} is not this kind's status type */
    Resource withStatus(Object status);

    /** The store key parts, convenient for logs: {@code Service default/web}. */
    default ResourceRef ref() {
        return new ResourceRef(kind(), metadata().namespace(), metadata().name());
    }
}
