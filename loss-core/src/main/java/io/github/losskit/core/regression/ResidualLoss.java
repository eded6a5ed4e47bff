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

    @Override
    public final ElementwiseTerms terms(INDArray labels, INDArray predictions, Need need) {
        return residualTerms(predictions.sub(labels), need);
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
