package io.github.losskit.core.regression;

import io.github.losskit.core.ElementwiseTerms;
import io.github.losskit.core.Need;
import io.github.losskit.core.StableMath;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Log-cosh loss: log cosh(d) with d = prediction - label; about d^2 / 2 near the target and |d| - log 2
 * far from it, smooth everywhere. Its derivative is tanh(d).
 */
public final class LogCosh extends ResidualLoss {

    static final String NAME = "LogCosh";
    private static final double LOG_2 = Math.log(2.0);

    public LogCosh(double[] outputWeights) {
        super(NAME, outputWeights);
    }

    @Override
    protected ElementwiseTerms residualTerms(INDArray residual, Need need) {
        INDArray values = null;
        if (need.score()) {
            // log cosh d = |d| + softplus(-2|d|) - log 2: cosh overflows from |d| ~ 710 (double), this does not,
            // and ND4J's literal softplus log(1 + e^x) is safe at x = -2|d| <= 0; one op where exp and log1p took two
            INDArray abs = Transforms.abs(residual, true);
            INDArray tail = Transforms.softPlus(abs.mul(-2.0), false);
            values = StableMath.addScaledInPlace(tail, 1.0, abs).subi(LOG_2);
        }
        return new ElementwiseTerms(values, need.gradient() ? Transforms.tanh(residual, true) : null);
    }

    @Override
    protected boolean sameParameters(ResidualLoss other) {
        return other instanceof LogCosh;
    }

    @Override
    protected String parameters() {
        return "";
    }
}
