package io.github.losskit.core.metric;

/**
 * How unit losses (pairs, anchors, triplets) are averaged. The batch total is rows x mean, where rows are the
 * rows that take part, so that DL4J's score (total / rows) is the mean; {@link #scale} is the factor that turns
 * a sum of unit losses into that total.
 */
enum Averaging {
    /** Mean over every valid unit. */
    OVER_VALID,
    /** Mean over valid units with positive loss ("batch all" with the hinge). */
    OVER_ACTIVE;

    double scale(MinedTriplets mined, double rows) {
        return scale(this == OVER_VALID ? mined.valid() : mined.active(), rows);
    }

    /** rows / units, and 0 for no units (an empty mean contributes nothing). */
    static double scale(double units, double rows) {
        return units == 0 ? 0.0 : rows / units;
    }
}
