package io.github.losskit.dl4j;

import io.github.losskit.core.LossEvaluator;
import io.github.losskit.core.LossResult;
import io.github.losskit.core.Need;
import io.github.losskit.core.classification.BinaryCrossEntropy;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Binary cross-entropy from logits, one independent term per output (binary and multi-label
 * classification), with PyTorch's {@code pos_weight}, per-output weights and label smoothing
 * y (1 - eps) + eps / 2. Use it with {@code Activation.SIGMOID}; it replaces {@code LossBinaryXENT} and is
 * finite at any logit, with no clipping (see {@link BinaryCrossEntropy}).
 *
 * <pre>{@code
 * new OutputLayer.Builder()
 *     .lossFunction(LossBinaryCrossEntropy.builder().posWeight(9.0).build())
 *     .activation(Activation.SIGMOID).nIn(16).nOut(1).build();
 * }</pre>
 */
public final class LossBinaryCrossEntropy extends AbstractLossFunction {

    private static final long serialVersionUID = 1L;

    private final double[] posWeight;
    private final double[] weights;
    private final double labelSmoothing;
    private transient BinaryCrossEntropy math;

    /** Plain binary cross-entropy. */
    public LossBinaryCrossEntropy() {
        this(null, null, 0.0);
    }

    /**
     * @param posWeight      weight of positive terms: one value for all outputs or one per output, or null
     * @param weights        one positive weight per output, or null
     * @param labelSmoothing eps in [0, 1)
     */
    @JsonCreator
    public LossBinaryCrossEntropy(@JsonProperty("posWeight") double[] posWeight,
            @JsonProperty("weights") double[] weights, @JsonProperty("labelSmoothing") double labelSmoothing) {
        this.math = new BinaryCrossEntropy(posWeight, weights, labelSmoothing);
        this.posWeight = math.positiveWeight();
        this.weights = math.outputWeights();
        this.labelSmoothing = labelSmoothing;
    }

    public static Builder builder() {
        return new Builder();
    }

    public double[] getPosWeight() {
        return posWeight == null ? null : posWeight.clone();
    }

    public double[] getWeights() {
        return weights == null ? null : weights.clone();
    }

    public double getLabelSmoothing() {
        return labelSmoothing;
    }

    private BinaryCrossEntropy math() {
        if (math == null) { // after Java deserialization
            math = new BinaryCrossEntropy(posWeight, weights, labelSmoothing);
        }
        return math;
    }

    @Override
    protected LossResult evaluate(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            Need need) {
        if (OutputActivation.of(activationFn) != OutputActivation.SIGMOID) {
            throw OutputActivation.unsupported(lossName(), activationFn, "sigmoid");
        }
        BinaryCrossEntropy bce = math();
        return LossEvaluator.elementwise(lossName(), bce, labels, preOutput, mask, bce.outputWeightRow(labels),
                need);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LossBinaryCrossEntropy other && labelSmoothing == other.labelSmoothing
                && Arrays.equals(posWeight, other.posWeight) && Arrays.equals(weights, other.weights);
    }

    @Override
    public int hashCode() {
        return Objects.hash(labelSmoothing, Arrays.hashCode(posWeight), Arrays.hashCode(weights));
    }

    @Override
    public String toString() {
        return "LossBinaryCrossEntropy(posWeight=" + Arrays.toString(posWeight) + ", weights="
                + Arrays.toString(weights) + ", labelSmoothing=" + labelSmoothing + ")";
    }

    /** Builds a {@link LossBinaryCrossEntropy}; parameters are checked by {@link #build()}. */
    public static final class Builder {
        private double[] posWeight;
        private double[] weights;
        private double labelSmoothing;

        /**
         * Weight of the positive term, PyTorch's {@code pos_weight}: one value for every output or one per
         * output. negatives / positives balances a skewed label.
         */
        public Builder posWeight(double... posWeight) {
            this.posWeight = posWeight == null ? null : posWeight.clone();
            return this;
        }

        /** One positive weight per output. */
        public Builder weights(double... weights) {
            this.weights = weights == null ? null : weights.clone();
            return this;
        }

        /** Label smoothing eps in [0, 1): labels become y (1 - eps) + eps / 2. */
        public Builder labelSmoothing(double eps) {
            this.labelSmoothing = eps;
            return this;
        }

        public LossBinaryCrossEntropy build() {
            return new LossBinaryCrossEntropy(posWeight, weights, labelSmoothing);
        }
    }
}
