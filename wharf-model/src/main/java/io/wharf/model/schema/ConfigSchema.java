package io.wharf.model.schema;

import io.wharf.model.config.ConfigSpec;
import io.wharf.model.config.SecretSpec;
import io.wharf.model.config.SecretValue;
import io.wharf.model.document.Fields;
import io.wharf.model.document.Paths;
import io.wharf.model.document.Tree;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Configs ({@code data} or {@code file}) and secrets ({@code value}, {@code data} or
 * {@code file}). A file is only recorded: reading it is the CLI's job. Problems about secrets
 * never quote their values.
 */
public final class ConfigSchema {
    private ConfigSchema() {}

    private static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]{1,253}");

    public static ConfigSpec config(Fields f) {
        String data = f.string("data");
        String file = f.string("file");
        if (data == null && file == null && !f.has("data")) f.problem("data", "is required (or file)");
        if (data != null && file != null) f.problem("file", "use either data or file, not both");
        return new ConfigSpec(data, file);
    }

    public static SecretSpec secret(Fields f) {
        Tree valueNode = f.take("value");
        SecretValue value = null;
        if (valueNode instanceof Tree.Scalar s) value = new SecretValue(s.text());
        else if (valueNode != null) f.problem("value", "must be a string, got " + valueNode.describe());
        Map<String, SecretValue> data = new LinkedHashMap<>();
        Tree dataNode = f.take("data");
        if (dataNode instanceof Tree.Mapping m) {
            m.entries().forEach((k, v) -> {
                String path = Paths.field(f.path("data"), k);
                if (!KEY.matcher(k).matches()) f.problems().add(path, "invalid key: use letters, digits, '-', '_' and '.'");
                if (v instanceof Tree.Scalar s) data.put(k, new SecretValue(s.text()));
                else if (v instanceof Tree.Null) data.put(k, new SecretValue(""));
                else f.problems().add(path, "must be a string, got " + v.describe());
            });
        } else if (dataNode != null) {
            f.problem("data", "must be a mapping of keys to values, got " + (dataNode instanceof Tree.Scalar ? "a string" : dataNode.describe()));
        }
        String file = f.string("file");
        int given = (valueNode != null ? 1 : 0) + (dataNode != null ? 1 : 0) + (file != null ? 1 : 0);
        if (given == 0) f.problem("value", "is required (or data, or file)");
        if (given > 1) f.problem(valueNode != null && dataNode != null ? "data" : "file", "use only one of value, data and file");
        return new SecretSpec(value, data, file);
    }
}
