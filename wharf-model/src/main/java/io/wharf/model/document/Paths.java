package io.wharf.model.document;

/** Field paths of problems: {@code services.web.ports[0].name}. */
public final class Paths {
    private Paths() {}

    public static String field(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    public static String index(String parent, int i) {
        return parent + "[" + i + "]";
    }
}
