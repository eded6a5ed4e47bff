package io.github.losskit.dl4j;

import io.github.losskit.core.Checks;
import io.github.losskit.core.ElementwiseTerms;
import io.github.losskit.core.Need;
import io.github.losskit.core.StableMath;
import io.github.losskit.core.margin.MarginFunction;
import io.github.losskit.core.margin.MarginLabels;
import io.github.losskit.core.margin.MarginLoss;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The margin family on z = y f, with labels y in {-1, +1} (or {0, 1} with {@link MarginLabels#ZERO_ONE}) and
 * scores f from the output layer (usually {@code Activation.IDENTITY}): hinge max(0, 1 - z), squared hinge
 * max(0, 1 - z)^2, exponential exp(-z) and logistic log(1 + exp(-z)). One independent term per output.
 * See {@link MarginFunction} for each function's derivative and the exponential's overflow.
 */
public final class LossMargin extends ElementwiseLossFunction {

    private static final long serialVersionUID = 1L;

    private final MarginFunction function;
    private final MarginLabels labels;
    private final double[] weights;
    private transient MarginLoss math;

    /** Hinge loss on -1/+1 labels. */
    public LossMargin() {
        this(MarginFunction.HINGE);
    }

    public LossMargin(MarginFunction function) {
        this(function, MarginLabels.PLUS_MINUS_ONE, null);
    }

    /**
     * @param function the margin function
     * @param labels   how labels encode the classes
     * @param weights  one positive weight per output, or {@code null}
     */
    @JsonCreator
    public LossMargin(@JsonProperty("function") MarginFunction function, @JsonProperty("labels") MarginLabels labels,
            @JsonProperty("weights") double[] weights) {
        this.math = new MarginLoss(function, labels);
        this.function = function;
        this.labels = labels;
        this.weights = Checks.positiveAll(lossName(), "weights", weights);
    }

    public static Builder builder() {
        return new Builder();
    }

    public MarginFunction getFunction() {
        return function;
    }

    public MarginLabels getLabels() {
        return labels;
    }

    public double[] getWeights() {
        return weights == null ? null : weights.clone();
    }

    private MarginLoss math() {
        if (math == null) {
            math = new MarginLoss(function, labels);
        }
        return math;
    }

    @Override
    protected ElementwiseTerms terms(INDArray y, INDArray scores, Need need) {
        return math().terms(y, scores, need);
    }

    @Override
    protected double maskedLabel() {
        return math().maskedLabel();
    }

    @Override
    protected void checkLabels(INDArray y) {
        math().checkLabels(lossName(), y);
    }

    @Override
    protected void checkLabelsGivenFiniteScore(INDArray y) {
        math().checkLabelsGivenFiniteScore(lossName(), y);
    }

    @Override
    protected INDArray outputWeights(INDArray like) {
        Checks.perOutputLength(lossName(), "weights", weights, like.size(1), false);
        return weights == null ? null : StableMath.row(weights, like);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LossMargin other && function == other.function && labels == other.labels
                && Arrays.equals(weights, other.weights);
    }

    @Override
    public int hashCode() {
        return Objects.hash(function, labels, Arrays.hashCode(weights));
    }

    @Override
    public String toString() {
        return "LossMargin(" + function + ", " + labels + ", weights=" + Arrays.toString(weights) + ")";
    }

    /** Builds a {@link LossMargin}. */
    public static final class Builder {
        private MarginFunction function = MarginFunction.HINGE;
        private MarginLabels labels = MarginLabels.PLUS_MINUS_ONE;
        private double[] weights;

        public Builder function(MarginFunction function) {
            this.function = function;
            return this;
        }

        public Builder labels(MarginLabels labels) {
            this.labels = labels;
            return this;
        }

        public Builder weights(double... weights) {
            this.weights = weights == null ? null : weights.clone();
            return this;
        }

        public LossMargin build() {
            return new LossMargin(function, labels, weights);
        }
    }
}
