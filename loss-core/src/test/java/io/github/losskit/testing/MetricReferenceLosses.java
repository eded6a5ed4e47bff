package io.github.losskit.testing;

import io.github.losskit.core.BatchLoss;
import io.github.losskit.core.metric.Contrastive;
import io.github.losskit.core.metric.Distance;
import io.github.losskit.core.metric.Mining;
import io.github.losskit.core.metric.PairMode;
import io.github.losskit.core.metric.Triplet;
import io.github.losskit.core.metric.TripletPenalty;

/** The core loss a case of metric.json describes (see tools/reference/generate_metric.py). */
public final class MetricReferenceLosses {

    private MetricReferenceLosses() {
    }

    /** A {@link Triplet} or a {@link Contrastive}. */
    public static BatchLoss of(ReferenceCase c) {
        Distance distance = Distance.valueOf(text(c, "distance"));
        return switch (c.loss()) {
            case "triplet" -> Triplet.builder().margin(c.number("margin"))
                    .penalty(TripletPenalty.valueOf(text(c, "penalty"))).swap((Boolean) c.params().get("swap"))
                    .mining(Mining.valueOf(text(c, "mining"))).distance(distance).build();
            case "contrastive" -> new Contrastive(c.number("margin"), c.number("positive_margin"),
                    PairMode.valueOf(text(c, "pairs")), distance);
            default -> throw new IllegalArgumentException("unknown loss " + c.loss());
        };
    }

    /** A string parameter as an enum constant name: "batch_hard" -> "BATCH_HARD". */
    private static String text(ReferenceCase c, String key) {
        return ((String) c.params().get(key)).toUpperCase();
    }
}
