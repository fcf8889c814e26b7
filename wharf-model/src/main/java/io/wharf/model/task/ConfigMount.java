package io.wharf.model.task;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.Objects;

/**
 * A config or secret given to a task, by name: as the environment variable {@code env}, or as
 * the file {@code path} with permission bits {@code mode} (e.g. 0440), exactly one of env and path.
 */
public record ConfigMount(String name, String env, String path, @JsonSerialize(using = ConfigMount.OctalMode.class) int mode) {
    public ConfigMount {
        Objects.requireNonNull(name, "name");
    }

    /** Mode as written in files: four octal digits, {@code 0440}. */
    public String modeText() { return String.format("%04o", mode); }

    /** Writes the mode as octal text ("0440"), the form people read and the reader expects. */
    static final class OctalMode extends StdSerializer<Integer> {
        OctalMode() { super(Integer.class); }

        @Override public void serialize(Integer mode, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeString(String.format("%04o", mode));
        }
    }
}
