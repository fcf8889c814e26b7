package io.wharf.agent.logs;

import java.util.Locale;

public enum LogStream {
    STDOUT, STDERR;

    /** {@code stdout.log} or {@code stderr.log}. */
    public String fileName() { return name().toLowerCase(Locale.ROOT) + ".log"; }
}
