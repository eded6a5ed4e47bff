package io.github.losskit.dl4j;

import io.github.losskit.core.regression.ResidualLoss;
import io.github.losskit.core.regression.SmoothL1;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Smooth L1 loss (PyTorch SmoothL1Loss): 0.5 d^2 / beta for |d| &lt; beta, |d| - 0.5 beta beyond. Robust regression: quadratic near the target, linear for outliers. Use with
 * {@code Activation.IDENTITY} (other activations work through the chain rule). See {@link SmoothL1}.
 */
public final class LossSmoothL1 extends ResidualLossFunction {

    private static final long serialVersionUID = 1L;

    private final double beta;

    /** beta = 1. */
    public LossSmoothL1() {
        this(SmoothL1.DEFAULT_BETA, null);
    }

    /** @param beta > 0 */
    public LossSmoothL1(double beta) {
        this(beta, null);
    }

    /**
     * @param beta   > 0
     * @param weights one positive weight per output, or {@code null}
     */
    @JsonCreator
    public LossSmoothL1(@JsonProperty("beta") double beta, @JsonProperty("weights") double[] weights) {
        super(weights);
        this.beta = beta;
        checkParameters();
    }

    public static Builder builder() {
        return new Builder();
    }

    public double getBeta() {
        return beta;
    }

    @Override
    protected ResidualLoss newMath() {
        return new SmoothL1(beta, weights);
    }

    /** Builds a {@link LossSmoothL1}; parameters are checked by {@link #build()}. */
    public static final class Builder {
        private double beta = SmoothL1.DEFAULT_BETA;
        private double[] weights;

        public Builder beta(double beta) {
            this.beta = beta;
            return this;
        }

        /** One positive weight per output. */
        public Builder weights(double... weights) {
            this.weights = copy(weights);
            return this;
        }

        public LossSmoothL1 build() {
            return new LossSmoothL1(beta, weights);
        }
    }
}
