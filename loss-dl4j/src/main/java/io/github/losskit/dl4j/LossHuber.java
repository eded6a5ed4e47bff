package io.github.losskit.dl4j;

import io.github.losskit.core.regression.ResidualLoss;
import io.github.losskit.core.regression.Huber;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Huber loss (PyTorch HuberLoss): 0.5 d^2 for |d| &lt; delta, delta (|d| - 0.5 delta) beyond, with d = prediction - label. Robust regression: quadratic near the target, linear for outliers. Use with
 * {@code Activation.IDENTITY} (other activations work through the chain rule). See {@link Huber}.
 */
public final class LossHuber extends ResidualLossFunction {

    private static final long serialVersionUID = 1L;

    private final double delta;

    /** delta = 1. */
    public LossHuber() {
        this(Huber.DEFAULT_DELTA, null);
    }

    /** @param delta > 0 */
    public LossHuber(double delta) {
        this(delta, null);
    }

    /**
     * @param delta   > 0
     * @param weights one positive weight per output, or {@code null}
     */
    @JsonCreator
    public LossHuber(@JsonProperty("delta") double delta, @JsonProperty("weights") double[] weights) {
        super(weights);
        this.delta = delta;
        checkParameters();
    }

    public static Builder builder() {
        return new Builder();
    }

    public double getDelta() {
        return delta;
    }

    @Override
    protected ResidualLoss newMath() {
        return new Huber(delta, weights);
    }

    /** Builds a {@link LossHuber}; parameters are checked by {@link #build()}. */
    public static final class Builder {
        private double delta = Huber.DEFAULT_DELTA;
        private double[] weights;

        public Builder delta(double delta) {
            this.delta = delta;
            return this;
        }

        /** One positive weight per output. */
        public Builder weights(double... weights) {
            this.weights = copy(weights);
            return this;
        }

        public LossHuber build() {
            return new LossHuber(delta, weights);
        }
    }
}
