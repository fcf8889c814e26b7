package io.wharf.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Defensive copies for record components. Maps are copied sorted by key so that equal values
 * print and serialize identically; null collections become empty ones.
 */
public final class Frozen {
    private Frozen() {}

    public static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    public static <V> SortedMap<String, V> map(Map<String, V> map) {
        return Collections.unmodifiableSortedMap(map == null ? new TreeMap<>() : new TreeMap<>(map));
    }
}
