package io.github.losskit.dl4j;

import io.github.losskit.core.regression.LogCosh;
import io.github.losskit.core.regression.ResidualLoss;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Log-cosh loss log cosh(prediction - label): smooth, about d^2 / 2 near the target and |d| - log 2 far
 * from it; finite for any finite residual. Use with {@code Activation.IDENTITY}. See {@link LogCosh}.
 */
public final class LossLogCosh extends ResidualLossFunction {

    private static final long serialVersionUID = 1L;

    public LossLogCosh() {
        this(null);
    }

    /** @param weights one positive weight per output, or {@code null} */
    @JsonCreator
    public LossLogCosh(@JsonProperty("weights") double[] weights) {
        super(weights);
        checkParameters();
    }

    @Override
    protected ResidualLoss newMath() {
        return new LogCosh(weights);
    }
}
