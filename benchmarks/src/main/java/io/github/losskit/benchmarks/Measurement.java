package io.github.losskit.benchmarks;

/**
 * One benchmark configuration's result.
 *
 * @param benchmark the benchmark class's simple name
 * @param candidate the loss (or "add" for the bandwidth yardstick)
 * @param baseline  the candidate it is measured against, or {@code null}
 * @param medianMs  median time of one call, milliseconds
 */
public record Measurement(String benchmark, String candidate, String baseline, String shape, String workspace,
        double medianMs) {
}
