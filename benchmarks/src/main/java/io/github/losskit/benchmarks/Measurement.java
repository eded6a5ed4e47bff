package io.github.losskit.benchmarks;

import java.util.Arrays;
import java.util.List;

/**
 * One benchmark configuration's result over one or more rounds of the suite.
 *
 * @param benchmark    the benchmark class's simple name
 * @param candidate    the loss (or "add" for the bandwidth yardstick)
 * @param baseline     the candidate it is measured against, or {@code null}
 * @param roundMedians the median time of one call in each round, milliseconds
 */
public record Measurement(String benchmark, String candidate, String baseline, String shape, String workspace,
        List<Double> roundMedians) {

    public Measurement {
        roundMedians = List.copyOf(roundMedians);
        if (roundMedians.isEmpty()) {
            throw new IllegalArgumentException("a measurement needs at least one round");
        }
    }

    /** A measurement of one round. */
    public Measurement(String benchmark, String candidate, String baseline, String shape, String workspace,
            double medianMs) {
        this(benchmark, candidate, baseline, shape, workspace, List.of(medianMs));
    }

    /** The median over rounds of the per-round median times, milliseconds. */
    public double medianMs() {
        return median(roundMedians.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * This measurement's time relative to {@code other}'s: the median over rounds of the ratio within each
     * round, so that a change of the machine's speed between rounds cancels instead of skewing the ratio.
     */
    public double ratioTo(Measurement other) {
        if (other.roundMedians.size() != roundMedians.size()) {
            throw new IllegalArgumentException(candidate + " has " + roundMedians.size() + " rounds but "
                    + other.candidate + " has " + other.roundMedians.size());
        }
        double[] ratios = new double[roundMedians.size()];
        for (int round = 0; round < ratios.length; round++) {
            ratios[round] = roundMedians.get(round) / other.roundMedians.get(round);
        }
        return median(ratios);
    }

    /** Whether {@code other} measures the same configuration (perhaps in another round). */
    boolean sameConfiguration(Measurement other) {
        return benchmark.equals(other.benchmark) && candidate.equals(other.candidate) && shape.equals(other.shape)
                && workspace.equals(other.workspace);
    }

    /** This configuration's rounds followed by {@code next}'s. */
    Measurement followedBy(Measurement next) {
        if (!sameConfiguration(next)) {
            throw new IllegalArgumentException(next + " is not a round of " + this);
        }
        List<Double> all = new java.util.ArrayList<>(roundMedians);
        all.addAll(next.roundMedians);
        return new Measurement(benchmark, candidate, baseline, shape, workspace, all);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
