package io.github.losskit.dl4j;

import io.github.losskit.core.ElementwiseTerms;
import io.github.losskit.core.Need;
import io.github.losskit.core.regression.ResidualLoss;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The DL4J side of the regression losses: any output activation (identity is typical; others through the
 * chain rule), per-output weights, and the core {@link ResidualLoss} for the math.
 */
abstract class ResidualLossFunction extends ElementwiseLossFunction {

    private static final long serialVersionUID = 1L;

    protected final double[] weights;
    private transient ResidualLoss math;

    ResidualLossFunction(double[] weights) {
        this.weights = weights == null ? null : weights.clone();
    }

    /** The core loss for this configuration; built on first use, which also happens after deserialization. */
    protected abstract ResidualLoss newMath();

    /** Builds the core loss now, so that invalid parameters fail in the subclass's constructor. */
    protected final void checkParameters() {
        math();
    }

    public double[] getWeights() {
        return weights == null ? null : weights.clone();
    }

    private ResidualLoss math() {
        if (math == null) {
            math = newMath();
        }
        return math;
    }

    @Override
    protected ElementwiseTerms terms(INDArray labels, INDArray predictions, Need need) {
        return math().terms(labels, predictions, need);
    }

    @Override
    protected void checkLabels(INDArray labels) {
        math().checkLabels(lossName(), labels);
    }

    @Override
    protected void checkLabelsGivenFiniteScore(INDArray labels) {
        math().checkLabelsGivenFiniteScore(lossName(), labels);
    }

    @Override
    protected INDArray outputWeights(INDArray like) {
        return math().outputWeightRow(like);
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && math().equals(((ResidualLossFunction) o).math());
    }

    @Override
    public int hashCode() {
        return math().hashCode();
    }

    @Override
    public String toString() {
        return "Loss" + math();
    }

    static double[] copy(double[] values) {
        return values == null ? null : Arrays.copyOf(values, values.length);
    }
}
