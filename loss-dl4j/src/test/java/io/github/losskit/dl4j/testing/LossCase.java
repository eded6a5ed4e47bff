package io.github.losskit.dl4j.testing;

import java.util.Random;
import java.util.function.Supplier;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * A loss configuration under test: the loss, the output activation it is used with, and the labels it
 * takes. {@code classes} is the number of outputs the configuration needs (per-class parameters fix it).
 */
public record LossCase(String name, Supplier<ILossFunction> loss, Supplier<IActivation> activation,
        LabelKind labels, int classes, Double invalidLabel) {

    /** A case whose labels must not be negative. */
    public LossCase(String name, Supplier<ILossFunction> loss, Supplier<IActivation> activation, LabelKind labels,
            int classes) {
        this(name, loss, activation, labels, classes, -0.5);
    }

    public ILossFunction newLoss() {
        return loss.get();
    }

    public IActivation newActivation() {
        return activation.get();
    }

    /** Softmax losses take per-example masks only: a softmax couples every output of a row. */
    public boolean takesPerOutputMasks() {
        return !(activation.get() instanceof ActivationSoftmax);
    }

    /** A case where every finite label is valid. */
    public static LossCase anyLabel(String name, Supplier<ILossFunction> loss, Supplier<IActivation> activation,
            LabelKind labels, int classes) {
        return new LossCase(name, loss, activation, labels, classes, null);
    }

    public INDArray labels(int rows, long seed, DataType type) {
        return labels.generate(rows, classes, seed, type);
    }

    /** Gaussian pre-activations times {@code scale}. */
    public INDArray preOutput(int rows, long seed, double scale, DataType type) {
        return gaussian(rows, classes, seed, scale, type);
    }

    public static INDArray gaussian(int rows, int columns, long seed, double scale, DataType type) {
        Random random = new Random(seed);
        double[][] values = new double[rows][columns];
        for (double[] row : values) {
            for (int c = 0; c < columns; c++) {
                row[c] = scale * random.nextGaussian();
            }
        }
        return Nd4j.createFromArray(values).castTo(type);
    }

    @Override
    public String toString() {
        return name;
    }
}
