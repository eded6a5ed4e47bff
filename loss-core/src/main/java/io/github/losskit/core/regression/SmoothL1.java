package io.github.losskit.core.regression;

import io.github.losskit.core.Checks;
import io.github.losskit.core.ElementwiseTerms;
import io.github.losskit.core.Need;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Smooth L1 loss (PyTorch {@code SmoothL1Loss}, Fast R-CNN's box regression loss): with
 * d = prediction - label, 0.5 d^2 / beta where |d| &lt; beta and |d| - 0.5 beta beyond. It is Huber with
 * delta = beta divided by beta, so its slope far from the target is 1 whatever beta is.
 */
public final class SmoothL1 extends ResidualLoss {

    static final String NAME = "SmoothL1";
    public static final double DEFAULT_BETA = 1.0;

    private final double beta;

    public SmoothL1(double beta, double[] outputWeights) {
        super(NAME, outputWeights);
        this.beta = Checks.positive(NAME, "beta", beta);
    }

    public double beta() {
        return beta;
    }

    @Override
    protected ElementwiseTerms residualTerms(INDArray residual, Need need) {
        // derivative g = clip(d, -beta, beta) / beta; value g (d - 0.5 beta g), Huber's form divided by beta
        INDArray clipped = Transforms.min(Transforms.max(residual, -beta, true), beta, false);
        INDArray derivatives = beta == 1 ? clipped : clipped.divi(beta);
        INDArray values = need.score() ? ResidualLoss.clippedQuadratic(residual, derivatives, beta) : null;
        return new ElementwiseTerms(values, need.gradient() ? derivatives : null);
    }

    @Override
    protected boolean sameParameters(ResidualLoss other) {
        return other instanceof SmoothL1 s && s.beta == beta;
    }

    @Override
    protected String parameters() {
        return "beta=" + beta;
    }
}
