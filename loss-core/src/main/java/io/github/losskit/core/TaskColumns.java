package io.github.losskit.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The block of output columns [from, to) that one task of a multi-task loss owns. Both multi-task front
 * ends (the DL4J loss and the SameDiff output layer) check their tasks with {@link #checkPartition}.
 */
public record TaskColumns(String name, int from, int to) {

    @Override
    public String toString() {
        return "'" + name + "' [" + from + ", " + to + ")";
    }

    /** The tasks as a readable list, e.g. {@code 'class' [0, 10), 'box' [10, 14)}. */
    public static String describe(List<TaskColumns> tasks) {
        return tasks.stream().map(TaskColumns::toString).collect(Collectors.joining(", "));
    }

    /**
     * Checks that the tasks have distinct names and cover the columns [0, n) exactly once: no overlap, no gap.
     * An unclaimed column is almost always an off-by-one error, so gaps are refused rather than left without
     * a gradient.
     */
    public static void checkPartition(String loss, List<TaskColumns> tasks) {
        Set<String> names = new HashSet<>();
        for (TaskColumns task : tasks) {
            if (!names.add(task.name)) {
                throw new IllegalArgumentException(loss + ": two tasks are named '" + task.name + "'; give each"
                        + " task its own name");
            }
        }
        List<TaskColumns> byColumn = new ArrayList<>(tasks);
        byColumn.sort(Comparator.comparingInt(TaskColumns::from));
        int covered = 0;
        TaskColumns previous = null;
        for (TaskColumns task : byColumn) {
            if (task.from < covered) {
                throw new IllegalArgumentException(loss + ": tasks " + previous + " and " + task + " overlap in"
                        + " columns [" + task.from + ", " + Math.min(covered, task.to) + "); each column belongs to"
                        + " exactly one task");
            }
            if (task.from > covered) {
                throw new IllegalArgumentException(loss + ": columns [" + covered + ", " + task.from + ") belong"
                        + " to no task (" + describe(byColumn) + "); the tasks must cover the output columns"
                        + " without gaps: widen a task or give the columns a task of their own");
            }
            covered = task.to;
            previous = task;
        }
    }
}
