package io.github.losskit.dl4j;

import io.github.losskit.core.LossEvaluator;
import io.github.losskit.core.LossResult;
import io.github.losskit.core.Need;
import io.github.losskit.core.classification.CrossEntropy;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Softmax cross-entropy from logits with label smoothing and class weights: per example
 * -sum_c w_c y'_c log softmax(z)_c with y' = (1 - eps) y + eps / K. Use it with {@code Activation.SOFTMAX}
 * on the output layer; it replaces {@code LossMCXENT} without a clipping epsilon (see {@link CrossEntropy}).
 *
 * <pre>{@code
 * new OutputLayer.Builder()
 *     .lossFunction(LossCrossEntropy.builder().labelSmoothing(0.1).build())
 *     .activation(Activation.SOFTMAX).nIn(64).nOut(10).build();
 * }</pre>
 */
public final class LossCrossEntropy extends AbstractLossFunction {

    private static final long serialVersionUID = 1L;

    private final double labelSmoothing;
    private final double[] weights;
    private transient CrossEntropy math;

    /** Plain cross-entropy: no smoothing, no class weights. */
    public LossCrossEntropy() {
        this(0.0, null);
    }

    /**
     * @param labelSmoothing eps in [0, 1)
     * @param weights        one positive weight per class, or {@code null}
     */
    @JsonCreator
    public LossCrossEntropy(@JsonProperty("labelSmoothing") double labelSmoothing,
            @JsonProperty("weights") double[] weights) {
        this.math = new CrossEntropy(labelSmoothing, weights);
        this.labelSmoothing = labelSmoothing;
        this.weights = math.classWeights();
    }

    public static Builder builder() {
        return new Builder();
    }

    public double getLabelSmoothing() {
        return labelSmoothing;
    }

    public double[] getWeights() {
        return weights == null ? null : weights.clone();
    }

    private CrossEntropy math() {
        if (math == null) { // after Java deserialization
            math = new CrossEntropy(labelSmoothing, weights);
        }
        return math;
    }

    @Override
    protected LossResult evaluate(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            Need need) {
        if (OutputActivation.of(activationFn) != OutputActivation.SOFTMAX) {
            throw OutputActivation.unsupported(lossName(), activationFn, "softmax");
        }
        return LossEvaluator.softmax(lossName(), math(), labels, preOutput, mask, need);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LossCrossEntropy other && labelSmoothing == other.labelSmoothing
                && Arrays.equals(weights, other.weights);
    }

    @Override
    public int hashCode() {
        return Objects.hash(labelSmoothing, Arrays.hashCode(weights));
    }

    @Override
    public String toString() {
        return "LossCrossEntropy(labelSmoothing=" + labelSmoothing + ", weights=" + Arrays.toString(weights) + ")";
    }

    /** Builds a {@link LossCrossEntropy}; parameters are checked by {@link #build()}. */
    public static final class Builder {
        private double labelSmoothing;
        private double[] weights;

        /** Label smoothing eps in [0, 1): eps / K goes to every class, the target included. Default 0. */
        public Builder labelSmoothing(double eps) {
            this.labelSmoothing = eps;
            return this;
        }

        /** One positive weight per class. Default: none. */
        public Builder weights(double... classWeights) {
            this.weights = classWeights == null ? null : classWeights.clone();
            return this;
        }

        public LossCrossEntropy build() {
            return new LossCrossEntropy(labelSmoothing, weights);
        }
    }
}
