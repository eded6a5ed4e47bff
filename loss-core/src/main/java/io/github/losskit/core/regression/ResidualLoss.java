package io.github.losskit.core.regression;

import io.github.losskit.core.Checks;
import io.github.losskit.core.ElementwiseLoss;
import io.github.losskit.core.ElementwiseTerms;
import io.github.losskit.core.Need;
import io.github.losskit.core.StableMath;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A regression loss of the residual d = prediction - label alone, with optional per-output weights. The
 * derivative with respect to the prediction is the derivative with respect to d.
 */
public abstract class ResidualLoss implements ElementwiseLoss {

    private final String name;
    private final double[] outputWeights;

    protected ResidualLoss(String name, double[] outputWeights) {
        this.name = name;
        this.outputWeights = Checks.positiveAll(name, "weights", outputWeights);
    }

    /** Values l(d) and derivatives l'(d) of a fresh residual array, which the method may overwrite. */
    protected abstract ElementwiseTerms residualTerms(INDArray residual, Need need);

    protected abstract boolean sameParameters(ResidualLoss other);

    /** The parameters for {@link #toString()}, e.g. {@code "delta=1.0"}. */
    protected abstract String parameters();

    public double[] outputWeights() {
        return outputWeights == null ? null : outputWeights.clone();
    }

    /** Per-output weights as a row [1, outputs] in the data type of {@code like}, or {@code null}. */
    public INDArray outputWeightRow(INDArray like) {
        Checks.perOutputLength(name, "weights", outputWeights, like.size(1), false);
        return outputWeights == null ? null : StableMath.row(outputWeights, like);
    }

    @Override
    public void checkLabels(String lossName, INDArray labels) {
        Checks.labelsFinite(lossName, labels);
    }

    /**
     * A residual loss reads its labels only through d = prediction - label, and an infinite or NaN label makes
     * d and every loss here non-finite, so a finite score proves the labels finite.
     */
    @Override
    public void checkLabelsGivenFiniteScore(String lossName, INDArray labels) {
    }

    @Override
    public final ElementwiseTerms terms(INDArray labels, INDArray predictions, Need need) {
        // d = prediction - label in one legacy pass (the broadcasting subtract is a slower custom op)
        return residualTerms(StableMath.addScaled(predictions, -1.0, labels), need);
    }

    /**
     * The clipped quadratic of Huber-type losses, written over {@code residual}: with c = clip(d, -delta, delta)
     * and slope g = c / s, g (d - 0.5 s g) = c (d - 0.5 c) / s is 0.5 d^2 / s inside the clip and
     * delta (|d| - 0.5 delta) / s outside, where c and d share their sign, so no absolute value is needed.
     */
    static INDArray clippedQuadratic(INDArray residual, INDArray slope, double scale) {
        return StableMath.addScaledInPlace(residual, -0.5 * scale, slope).muli(slope);
    }

    @Override
    public final boolean equals(Object o) {
        return o instanceof ResidualLoss other && sameParameters(other)
                && Arrays.equals(outputWeights, other.outputWeights);
    }

    @Override
    public final int hashCode() {
        return Objects.hash(getClass(), parameters(), Arrays.hashCode(outputWeights));
    }

    @Override
    public String toString() {
        String p = parameters();
        return name + "(" + p + (p.isEmpty() ? "" : ", ") + "weights=" + Arrays.toString(outputWeights) + ")";
    }
}
