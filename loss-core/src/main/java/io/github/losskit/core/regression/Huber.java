package io.github.losskit.core.regression;

import io.github.losskit.core.Checks;
import io.github.losskit.core.ElementwiseTerms;
import io.github.losskit.core.Need;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Huber loss (PyTorch {@code HuberLoss}): with d = prediction - label, 0.5 d^2 where |d| &lt; delta and
 * delta (|d| - 0.5 delta) beyond: quadratic near the target, linear (robust to outliers) far from it. Its
 * derivative is d clipped to [-delta, delta].
 */
public final class Huber extends ResidualLoss {

    static final String NAME = "Huber";
    public static final double DEFAULT_DELTA = 1.0;

    private final double delta;

    public Huber(double delta, double[] outputWeights) {
        super(NAME, outputWeights);
        this.delta = Checks.positive(NAME, "delta", delta);
    }

    public double delta() {
        return delta;
    }

    @Override
    protected ElementwiseTerms residualTerms(INDArray residual, Need need) {
        // clip(d, -delta, delta) is both the derivative and the argument of the unified form
        // l = c (d - 0.5 c) with c = clip(d): 0.5 d^2 inside, delta (|d| - 0.5 delta) outside (c and d share
        // their sign there), and no absolute values to take
        INDArray clipped = Transforms.min(Transforms.max(residual, -delta, true), delta, false);
        INDArray values = need.score() ? ResidualLoss.clippedQuadratic(residual, clipped, 1.0) : null;
        return new ElementwiseTerms(values, need.gradient() ? clipped : null);
    }

    @Override
    protected boolean sameParameters(ResidualLoss other) {
        return other instanceof Huber h && h.delta == delta;
    }

    @Override
    protected String parameters() {
        return "delta=" + delta;
    }
}
