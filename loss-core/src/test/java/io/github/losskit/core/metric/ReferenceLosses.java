package io.github.losskit.core.metric;

import io.github.losskit.core.BatchLoss;
import io.github.losskit.testing.ReferenceCase;

/** The core loss a case of metric.json describes (see tools/reference/generate_metric.py). */
final class ReferenceLosses {

    private ReferenceLosses() {
    }

    static BatchLoss of(ReferenceCase c) {
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
    static String text(ReferenceCase c, String key) {
        return ((String) c.params().get(key)).toUpperCase();
    }
}
