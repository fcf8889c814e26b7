/** {@code wharf delete}: one object by kind and name, or every resource a stack file declares. */
package io.wharf.cli.delete;
