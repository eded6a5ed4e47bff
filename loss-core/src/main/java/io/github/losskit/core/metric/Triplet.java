package io.github.losskit.core.metric;

import io.github.losskit.core.BatchLoss;
import io.github.losskit.core.Checks;
import io.github.losskit.core.LossResult;
import io.github.losskit.core.Need;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Triplet loss over embeddings: for an anchor a, a positive p of its class and a negative n of another class,
 * <pre>
 *   HINGE:        max(0, margin + d(a,p) - d(a,n))       (PyTorch's TripletMarginLoss; margin default 1)
 *   SOFT_MARGIN:  log(1 + exp(d(a,p) - d(a,n)))           (Hermans et al. 2017)
 * </pre>
 * With swap (PyTorch's {@code swap}, Balntas et al. 2016), d(a,n) is replaced by min(d(a,n), d(p,n)) for every
 * mining; the in-batch minings choose the negative by d(a,n) first and then apply the swap to it.
 *
 * <p>Triplets come from the {@link Mining}. Batch convention: the total over the batch is rows x the mean,
 * where rows are the rows that take part (kept rows; for CONSECUTIVE, the rows of kept triplets), so that
 * DL4J's score, total / minibatch size, is the mean when nothing is masked. The mean is over triplets
 * (CONSECUTIVE), over anchors with a positive and a negative (BATCH_HARD), over anchor-positive pairs whose
 * anchor has a negative (SEMI_HARD), and over triplets with positive loss (BATCH_ALL with the hinge; all valid
 * triplets with the soft margin). Per-row values: CONSECUTIVE writes each triplet's loss on its three rows; the
 * in-batch minings give each anchor's row the scaled sum of the losses of the triplets it anchors.
 */
public final class Triplet implements BatchLoss {

    static final String NAME = "Triplet";

    public static final double DEFAULT_MARGIN = 1.0;

    private final double margin;
    private final TripletPenalty penalty;
    private final boolean swap;
    private final Mining mining;
    private final Distance distance;

    private Triplet(Builder builder) {
        this.margin = Checks.nonNegative(NAME, "margin", builder.margin);
        this.penalty = notNull(builder.penalty, "penalty (TripletPenalty)");
        this.swap = builder.swap;
        this.mining = notNull(builder.mining, "mining (Mining)");
        this.distance = notNull(builder.distance, "distance (Distance)");
    }

    private static <T> T notNull(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(NAME + ": " + what + " must not be null");
        }
        return value;
    }

    /** Margin 1, hinge, no swap, consecutive triplets, Euclidean distance: PyTorch's TripletMarginLoss. */
    public static Builder builder() {
        return new Builder();
    }

    public double margin() {
        return margin;
    }

    public TripletPenalty penalty() {
        return penalty;
    }

    public boolean swap() {
        return swap;
    }

    public Mining mining() {
        return mining;
    }

    public Distance distance() {
        return distance;
    }

    private TripletRule rule() {
        return new TripletRule(margin, penalty, swap);
    }

    @Override
    public void checkLabels(String lossName, INDArray labels, INDArray kept) {
        String mode = "Mining." + mining;
        if (mining != Mining.CONSECUTIVE) {
            InBatchPairs.checkClassLabels(lossName, mode, labels, kept);
            return;
        }
        if (labels.size(1) != 1 || labels.size(0) % 3 != 0) {
            throw new IllegalArgumentException(lossName + ": " + mode + " takes rows 3i, 3i+1, 3i+2 as anchor,"
                    + " positive and negative, so it needs [3N, 1] labels (their values are ignored); got labels"
                    + " shape " + Arrays.toString(labels.shape()));
        }
    }

    @Override
    public LossResult evaluate(INDArray labels, INDArray embeddings, INDArray kept, Need need) {
        if (mining == Mining.CONSECUTIVE) {
            return consecutive(embeddings, kept, need);
        }
        if (embeddings.size(0) < 2) {
            // no pair at all; also spares the [1, 1] products that ND4J cannot run in float16
            return LossResult.zero(embeddings, need);
        }
        PairwiseDistances d = distance.pairwise(embeddings);
        MinedTriplets mined = TripletMiner.of(mining).mine(d.values(), InBatchPairs.of(labels, kept), rule(),
                need);
        Averaging averaging = mining == Mining.BATCH_ALL && penalty == TripletPenalty.HINGE ? Averaging.OVER_ACTIVE
                : Averaging.OVER_VALID;
        double scale = averaging.scale(mined, kept.sumNumber().doubleValue());
        INDArray perRow = need.score() ? mined.perAnchor().muli(scale) : null;
        INDArray gradient = need.gradient() ? mined.embeddingGradient(d, scale) : null;
        return new LossResult(perRow, gradient);
    }

    private LossResult consecutive(INDArray embeddings, INDArray kept, Need need) {
        long rows = embeddings.size(0);
        long triplets = rows / 3;
        long dimensions = embeddings.size(1);
        INDArray byTriplet = embeddings.dup('c').reshape(triplets, 3, dimensions);
        INDArray anchors = member(byTriplet, 0);
        INDArray positives = member(byTriplet, 1);
        INDArray negatives = member(byTriplet, 2);
        RowDistances anchorToPositive = distance.rowwise(anchors, positives);
        RowDistances anchorToNegative = distance.rowwise(anchors, negatives);
        RowDistances positiveToNegative = swap ? distance.rowwise(positives, negatives) : null;
        INDArray tripletKept = kept.reshape(triplets, 3).min(true, 1);
        TripletRule.Terms terms = rule().terms(anchorToPositive.values(), anchorToNegative.values(),
                swap ? positiveToNegative.values() : null, tripletKept, need);
        INDArray perRow = need.score() ? terms.values().repeat(1, 3).reshape(rows, 1) : null;
        INDArray gradient = null;
        if (need.gradient()) {
            // each triplet's loss is counted on its three rows
            INDArray[] ap = anchorToPositive.backward(terms.slopes().mul(3.0));
            INDArray[] an = anchorToNegative.backward(terms.anchorNegativeSensitivities().muli(3.0));
            INDArray anchorGradient = ap[0].addi(an[0]);
            INDArray positiveGradient = ap[1];
            INDArray negativeGradient = an[1];
            if (swap) {
                INDArray[] pn = positiveToNegative.backward(terms.positiveNegativeSensitivities().muli(3.0));
                positiveGradient.addi(pn[0]);
                negativeGradient.addi(pn[1]);
            }
            gradient = Nd4j.stack(1, anchorGradient, positiveGradient, negativeGradient).reshape(rows, dimensions);
        }
        return new LossResult(perRow, gradient);
    }

    private static INDArray member(INDArray byTriplet, long index) {
        return byTriplet.get(NDArrayIndex.all(), NDArrayIndex.point(index), NDArrayIndex.all());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Triplet other && margin == other.margin && penalty == other.penalty
                && swap == other.swap && mining == other.mining && distance == other.distance;
    }

    @Override
    public int hashCode() {
        return Objects.hash(margin, penalty, swap, mining, distance);
    }

    @Override
    public String toString() {
        return "Triplet(margin=" + margin + ", " + penalty + (swap ? ", swap" : "") + ", " + mining + ", "
                + distance + ")";
    }

    /** Builds a {@link Triplet}; values are checked by {@link #build()}. */
    public static final class Builder {
        private double margin = DEFAULT_MARGIN;
        private TripletPenalty penalty = TripletPenalty.HINGE;
        private boolean swap;
        private Mining mining = Mining.CONSECUTIVE;
        private Distance distance = Distance.EUCLIDEAN;

        private Builder() {
        }

        /** The hinge margin (default 1, >= 0); with SEMI_HARD also the width of the mining band. */
        public Builder margin(double margin) {
            this.margin = margin;
            return this;
        }

        public Builder penalty(TripletPenalty penalty) {
            this.penalty = penalty;
            return this;
        }

        /** The soft margin log(1 + exp(d(a,p) - d(a,n))) instead of the hinge. */
        public Builder softMargin() {
            return penalty(TripletPenalty.SOFT_MARGIN);
        }

        /** PyTorch's swap: d(a,n) := min(d(a,n), d(p,n)). Default off. */
        public Builder swap(boolean swap) {
            this.swap = swap;
            return this;
        }

        public Builder mining(Mining mining) {
            this.mining = mining;
            return this;
        }

        public Builder distance(Distance distance) {
            this.distance = distance;
            return this;
        }

        public Triplet build() {
            return new Triplet(this);
        }
    }
}
