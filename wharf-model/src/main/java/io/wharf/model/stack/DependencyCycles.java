package io.wharf.model.stack;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds dependency cycles among named workloads. Each cycle is reported once, starting and
 * ending at its member declared first: {@code [a, b, c, a]}. Pure and deterministic.
 */
final class DependencyCycles {
    private DependencyCycles() {}

    /** {@code order}: names in declaration order; {@code edges}: name → names it depends on. */
    static List<List<String>> find(List<String> order, Map<String, List<String>> edges) {
        Map<String, Integer> rank = new HashMap<>();
        for (int i = 0; i < order.size(); i++) rank.putIfAbsent(order.get(i), i);
        Map<String, Integer> color = new HashMap<>(); // absent = white, 1 = on stack, 2 = done
        Set<List<String>> cycles = new LinkedHashSet<>();
        for (String start : order) {
            if (!color.containsKey(start)) visit(start, edges, color, new ArrayList<>(), cycles, rank);
        }
        return List.copyOf(cycles);
    }

    private static void visit(String node, Map<String, List<String>> edges, Map<String, Integer> color, List<String> stack,
                              Set<List<String>> cycles, Map<String, Integer> rank) {
        color.put(node, 1);
        stack.add(node);
        for (String next : edges.getOrDefault(node, List.of())) {
            if (!rank.containsKey(next)) continue;
            Integer c = color.get(next);
            if (c == null) visit(next, edges, color, stack, cycles, rank);
            else if (c == 1) cycles.add(normalize(stack.subList(stack.indexOf(next), stack.size()), rank));
        }
        stack.remove(stack.size() - 1);
        color.put(node, 2);
    }

    private static List<String> normalize(List<String> members, Map<String, Integer> rank) {
        int first = 0;
        for (int i = 1; i < members.size(); i++) if (rank.get(members.get(i)) < rank.get(members.get(first))) first = i;
        List<String> cycle = new ArrayList<>();
        for (int i = 0; i <= members.size(); i++) cycle.add(members.get((first + i) % members.size()));
        return List.copyOf(cycle);
    }
}
