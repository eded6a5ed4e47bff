package io.github.losskit.dl4j;

import io.github.losskit.core.BatchLoss;
import io.github.losskit.core.metric.Distance;
import io.github.losskit.core.metric.Mining;
import io.github.losskit.core.metric.Triplet;
import io.github.losskit.core.metric.TripletPenalty;
import java.util.Objects;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Triplet loss on embeddings: the output layer's activations (usually {@code Activation.IDENTITY}; other
 * activations are differentiated through) are compared in triplets of rows (anchor a, positive p of a's class,
 * negative n of another class):
 * <pre>
 *   TripletPenalty.HINGE (default):  max(0, margin + d(a,p) - d(a,n))    PyTorch's TripletMarginLoss, margin 1
 *   TripletPenalty.SOFT_MARGIN:      log(1 + exp(d(a,p) - d(a,n)))        Hermans et al. 2017
 * </pre>
 * {@code swap(true)} replaces d(a,n) by min(d(a,n), d(p,n)) as PyTorch's {@code swap} does, for every mining
 * (the in-batch minings choose the negative by d(a,n), then swap). Distance: {@link Distance}, default Euclidean.
 *
 * <p>{@link Mining} chooses the triplets. {@link Mining#CONSECUTIVE} (the default, as PyTorch): rows 3i, 3i+1,
 * 3i+2 are a, p, n and the labels [3N, 1] are ignored. {@link Mining#BATCH_ALL}, {@link Mining#BATCH_HARD},
 * {@link Mining#SEMI_HARD} mine the batch, with labels that are class ids [N, 1] or one-hot rows [N, K]; use
 * batches with several examples per class. BATCH_HARD costs O(N^2 D) time and O(N^2) memory; BATCH_ALL and
 * SEMI_HARD cost O(N^3) time and process anchors in chunks so that their memory stays O(N^2) plus a bounded
 * [chunk, N, N] working set (4M elements per temporary). An anchor without a positive or a negative in the
 * batch adds zero loss and zero gradient; a batch of one class scores 0.
 *
 * <p><b>Score convention.</b> A "row" is one embedding (one example of the minibatch). The total,
 * {@code computeScore(average = false)}, is rows x the loss's mean, so DL4J's reported score (total / minibatch
 * size) is that mean: over triplets (CONSECUTIVE), over anchors that have a positive and a negative
 * (BATCH_HARD), over anchor-positive pairs whose anchor has a negative (SEMI_HARD), over triplets with positive
 * loss (BATCH_ALL with the hinge; 0 when none) or over all valid triplets (BATCH_ALL with the soft margin).
 * {@code computeScoreArray} spreads the total over rows: CONSECUTIVE writes each triplet's loss on its three
 * rows; the in-batch minings give each anchor's row rows / count times the losses of the triplets it anchors.
 * {@code computeGradient} is the gradient of the total.
 *
 * <p><b>Masks.</b> Per-example masks [N, 1] of 0/1 only: a masked row leaves every triplet (for CONSECUTIVE its
 * triplet is dropped), gets value and gradient 0, and NaN in it has no effect; "rows" above then counts the
 * rows that take part, so masking a row gives the total of the batch without it. Per-output masks are refused.
 *
 * <pre>{@code
 * new OutputLayer.Builder()
 *     .lossFunction(LossTriplet.builder().margin(0.5).mining(Mining.BATCH_HARD).build())
 *     .activation(Activation.IDENTITY).nIn(64).nOut(16).build();
 * }</pre>
 * See {@link Triplet} for the math.
 */
public final class LossTriplet extends EmbeddingLossFunction {

    private static final long serialVersionUID = 1L;

    private final double margin;
    private final TripletPenalty penalty;
    private final boolean swap;
    private final Mining mining;
    private final Distance distance;
    private transient Triplet math;

    /** PyTorch's TripletMarginLoss: margin 1, hinge, no swap, consecutive triplets, Euclidean distance. */
    public LossTriplet() {
        this(Triplet.builder().build());
    }

    private LossTriplet(Triplet math) {
        this.math = math;
        this.margin = math.margin();
        this.penalty = math.penalty();
        this.swap = math.swap();
        this.mining = math.mining();
        this.distance = math.distance();
    }

    /** For JSON; use {@link #builder()}. */
    @JsonCreator
    private LossTriplet(@JsonProperty("margin") double margin, @JsonProperty("penalty") TripletPenalty penalty,
            @JsonProperty("swap") boolean swap, @JsonProperty("mining") Mining mining,
            @JsonProperty("distance") Distance distance) {
        this(Triplet.builder().margin(margin).penalty(penalty).swap(swap).mining(mining).distance(distance)
                .build());
    }

    public static Builder builder() {
        return new Builder();
    }

    public double getMargin() {
        return margin;
    }

    public TripletPenalty getPenalty() {
        return penalty;
    }

    public boolean isSwap() {
        return swap;
    }

    public Mining getMining() {
        return mining;
    }

    public Distance getDistance() {
        return distance;
    }

    private Triplet math() {
        if (math == null) { // after Java deserialization
            math = Triplet.builder().margin(margin).penalty(penalty).swap(swap).mining(mining).distance(distance)
                    .build();
        }
        return math;
    }

    @Override
    protected BatchLoss batchMath() {
        return math();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LossTriplet other && margin == other.margin && penalty == other.penalty
                && swap == other.swap && mining == other.mining && distance == other.distance;
    }

    @Override
    public int hashCode() {
        return Objects.hash(margin, penalty, swap, mining, distance);
    }

    @Override
    public String toString() {
        return "LossTriplet(margin=" + margin + ", " + penalty + (swap ? ", swap" : "") + ", " + mining + ", "
                + distance + ")";
    }

    /** Builds a {@link LossTriplet}; values are checked by {@link #build()}. */
    public static final class Builder {
        private final Triplet.Builder math = Triplet.builder();

        private Builder() {
        }

        /** The hinge margin (default 1, >= 0); with SEMI_HARD also the width of the mining band. */
        public Builder margin(double margin) {
            math.margin(margin);
            return this;
        }

        public Builder penalty(TripletPenalty penalty) {
            math.penalty(penalty);
            return this;
        }

        /** The soft margin log(1 + exp(d(a,p) - d(a,n))) instead of the hinge. */
        public Builder softMargin() {
            math.softMargin();
            return this;
        }

        /** PyTorch's swap: d(a,n) := min(d(a,n), d(p,n)). Default off. */
        public Builder swap(boolean swap) {
            math.swap(swap);
            return this;
        }

        /** Which triplets: default {@link Mining#CONSECUTIVE}. */
        public Builder mining(Mining mining) {
            math.mining(mining);
            return this;
        }

        /** Default {@link Distance#EUCLIDEAN}. */
        public Builder distance(Distance distance) {
            math.distance(distance);
            return this;
        }

        public LossTriplet build() {
            return new LossTriplet(math.build());
        }
    }
}
