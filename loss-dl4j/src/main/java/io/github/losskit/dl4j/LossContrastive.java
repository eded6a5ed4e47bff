package io.github.losskit.dl4j;

import io.github.losskit.core.BatchLoss;
import io.github.losskit.core.metric.Contrastive;
import io.github.losskit.core.metric.Distance;
import io.github.losskit.core.metric.PairMode;
import java.util.Objects;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Contrastive loss (Hadsell, Chopra, LeCun 2006) on embeddings: the output layer's activations (usually
 * {@code Activation.IDENTITY}; other activations are differentiated through) are compared in pairs of rows of
 * the minibatch. Per pair with similarity y (1 similar, 0 dissimilar) and distance d:
 * <pre>
 *   l = y max(0, d - positiveMargin)^2 + (1 - y) max(0, margin - d)^2
 * </pre>
 * Defaults: margin 1, positiveMargin 0 (Hadsell's y d^2), {@link PairMode#CONSECUTIVE},
 * {@link Distance#EUCLIDEAN} (unsquared: the formula squares it).
 * <ul>
 *   <li>{@link PairMode#CONSECUTIVE}: rows 2i and 2i+1 are a pair; labels [2N, 1] hold the pair's similarity
 *       on both rows.</li>
 *   <li>{@link PairMode#ALL_IN_BATCH}: every pair of rows i &lt; j; labels are class ids [N, 1] or one-hot rows
 *       [N, K], and rows of equal classes are similar. O(N^2 D) time, O(N^2) memory.</li>
 * </ul>
 *
 * <p><b>Score convention.</b> A "row" is one embedding (one example of the minibatch). The total,
 * {@code computeScore(average = false)}, is rows x the mean over pairs, so DL4J's reported score (total /
 * minibatch size) is the mean over pairs. {@code computeScoreArray} spreads the total over rows:
 * CONSECUTIVE writes each pair's loss on both of its rows; ALL_IN_BATCH gives row i the factor rows / pairs
 * times half the losses of its pairs. {@code computeGradient} is the gradient of the total.
 *
 * <p><b>Masks.</b> Per-example masks [N, 1] of 0/1 only: a masked row leaves every pair (for CONSECUTIVE its
 * pair is dropped), gets value and gradient 0, and NaN in it has no effect; "rows" above then counts the rows
 * that take part, so masking a row gives the total of the batch without it. Per-output masks are refused.
 *
 * <pre>{@code
 * new OutputLayer.Builder()
 *     .lossFunction(LossContrastive.builder().margin(1.0).pairs(PairMode.ALL_IN_BATCH).build())
 *     .activation(Activation.IDENTITY).nIn(64).nOut(16).build();
 * }</pre>
 * See {@link Contrastive} for the math.
 */
public final class LossContrastive extends EmbeddingLossFunction {

    private static final long serialVersionUID = 1L;

    private final double margin;
    private final double positiveMargin;
    private final PairMode pairs;
    private final Distance distance;
    private transient Contrastive math;

    /** Margin 1, positive margin 0, consecutive pairs, Euclidean distance. */
    public LossContrastive() {
        this(Contrastive.DEFAULT_MARGIN, Contrastive.DEFAULT_POSITIVE_MARGIN, PairMode.CONSECUTIVE,
                Distance.EUCLIDEAN);
    }

    /**
     * @param margin         the dissimilar pairs' margin (m_neg >= 0)
     * @param positiveMargin the similar pairs' margin (m_pos >= 0)
     */
    @JsonCreator
    public LossContrastive(@JsonProperty("margin") double margin,
            @JsonProperty("positiveMargin") double positiveMargin, @JsonProperty("pairs") PairMode pairs,
            @JsonProperty("distance") Distance distance) {
        this.math = new Contrastive(margin, positiveMargin, pairs, distance);
        this.margin = margin;
        this.positiveMargin = positiveMargin;
        this.pairs = pairs;
        this.distance = distance;
    }

    public static Builder builder() {
        return new Builder();
    }

    public double getMargin() {
        return margin;
    }

    public double getPositiveMargin() {
        return positiveMargin;
    }

    public PairMode getPairs() {
        return pairs;
    }

    public Distance getDistance() {
        return distance;
    }

    private Contrastive math() {
        if (math == null) { // after Java deserialization
            math = new Contrastive(margin, positiveMargin, pairs, distance);
        }
        return math;
    }

    @Override
    protected BatchLoss batchMath() {
        return math();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LossContrastive other && margin == other.margin
                && positiveMargin == other.positiveMargin && pairs == other.pairs && distance == other.distance;
    }

    @Override
    public int hashCode() {
        return Objects.hash(margin, positiveMargin, pairs, distance);
    }

    @Override
    public String toString() {
        return "LossContrastive(margin=" + margin + ", positiveMargin=" + positiveMargin + ", " + pairs + ", "
                + distance + ")";
    }

    /** Builds a {@link LossContrastive}; values are checked by {@link #build()}. */
    public static final class Builder {
        private double margin = Contrastive.DEFAULT_MARGIN;
        private double positiveMargin = Contrastive.DEFAULT_POSITIVE_MARGIN;
        private PairMode pairs = PairMode.CONSECUTIVE;
        private Distance distance = Distance.EUCLIDEAN;

        private Builder() {
        }

        /** Dissimilar pairs closer than this (default 1, >= 0) are pushed apart. */
        public Builder margin(double margin) {
            this.margin = margin;
            return this;
        }

        /** Similar pairs farther apart than this (default 0, >= 0) are pulled together. */
        public Builder positiveMargin(double positiveMargin) {
            this.positiveMargin = positiveMargin;
            return this;
        }

        public Builder pairs(PairMode pairs) {
            this.pairs = pairs;
            return this;
        }

        public Builder distance(Distance distance) {
            this.distance = distance;
            return this;
        }

        public LossContrastive build() {
            return new LossContrastive(margin, positiveMargin, pairs, distance);
        }
    }
}
