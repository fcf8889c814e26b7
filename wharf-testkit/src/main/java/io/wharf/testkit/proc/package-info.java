/** Finding the host processes a test started, by a marker it put in their command line. */
package io.wharf.testkit.proc;
