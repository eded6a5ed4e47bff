package io.github.losskit.core.regression;

import io.github.losskit.core.ElementwiseTerms;
import io.github.losskit.core.Need;
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
            // log cosh d = |d| + log1p(exp(-2|d|)) - log 2: cosh overflows from |d| ~ 710 (double), this does not
            INDArray abs = Transforms.abs(residual, true);
            INDArray tail = Transforms.log1p(Transforms.exp(abs.mul(-2.0), false), false);
            values = abs.addi(tail).subi(LOG_2);
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
