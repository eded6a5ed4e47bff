package io.github.losskit.core.curves;

import io.github.losskit.core.ElementwiseLoss;
import io.github.losskit.core.ElementwiseTerms;
import io.github.losskit.core.Need;
import io.github.losskit.core.classification.BinaryCrossEntropy;
import io.github.losskit.core.classification.Focal;
import io.github.losskit.core.margin.MarginFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Tabulates losses and their derivatives for plots and comparisons, by evaluating the same code the losses
 * train with (in double precision): the margin family over the margin z, and binary cross-entropy and focal
 * loss over the probability p the model gives the true class, with derivatives with respect to the logit.
 */
public final class LossCurves {

    private LossCurves() {
    }

    /** {@code points} evenly spaced values from {@code from} to {@code to}, both included. */
    public static double[] grid(double from, double to, int points) {
        if (points < 2 || !(from < to)) {
            throw new IllegalArgumentException("grid needs from < to and at least 2 points, got [" + from + ", " + to
                    + "] with " + points);
        }
        double[] grid = new double[points];
        for (int i = 0; i < points; i++) {
            grid[i] = from + (to - from) * i / (points - 1);
        }
        return grid;
    }

    /** A margin function's loss and dLoss/dz at each margin z. */
    public static Curve margin(MarginFunction function, double[] z) {
        INDArray margins = Nd4j.createFromArray(z);
        return new Curve(function.name(), "margin z", "z", z, function.value(margins).toDoubleVector(),
                function.derivative(margins).toDoubleVector());
    }

    /** Binary cross-entropy -log p and its derivative p - 1 with respect to the logit, at each p in (0, 1). */
    public static Curve binaryCrossEntropy(double[] p) {
        return overProbability("binary cross-entropy", new BinaryCrossEntropy(null, null, 0.0), p);
    }

    /** Focal loss -(1 - p)^gamma log p (no alpha) and its derivative with respect to the logit. */
    public static Curve focal(double gamma, double[] p) {
        return overProbability("focal gamma=" + gamma, new Focal(gamma, -1.0).binary(), p);
    }

    private static Curve overProbability(String name, ElementwiseLoss loss, double[] p) {
        INDArray probabilities = Nd4j.createFromArray(p);
        if (probabilities.minNumber().doubleValue() <= 0 || probabilities.maxNumber().doubleValue() >= 1) {
            throw new IllegalArgumentException(name + ": probabilities must lie strictly between 0 and 1");
        }
        // the logit of p is log p - log(1 - p); the label is 1, so p is the probability of the true class
        INDArray logits = Transforms.log(probabilities, true).subi(Transforms.log(probabilities.rsub(1.0), false));
        INDArray ones = Nd4j.ones(DataType.DOUBLE, p.length);
        ElementwiseTerms terms = loss.terms(ones.reshape(1, p.length), logits.reshape(1, p.length),
                Need.SCORE_AND_GRADIENT);
        return new Curve(name, "probability of the true class p", "logit", p, terms.values().toDoubleVector(),
                terms.derivatives().toDoubleVector());
    }
}
