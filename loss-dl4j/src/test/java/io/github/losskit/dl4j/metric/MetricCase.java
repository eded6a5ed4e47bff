package io.github.losskit.dl4j.metric;

import io.github.losskit.dl4j.testing.LossCase;
import java.util.function.Supplier;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * A metric-loss configuration under test: the loss, its output activation, its label format, and the size of
 * the row groups it compares ({@code group} 2 for consecutive pairs, 3 for consecutive triplets, 0 when the
 * whole batch is mined). {@code outputs} is the embedding dimension.
 */
public record MetricCase(String name, Supplier<ILossFunction> loss, Supplier<IActivation> activation,
        MetricLabels labelKind, int group, int outputs, double scale) {

    static final int CLASSES = 3;

    public ILossFunction newLoss() {
        return loss.get();
    }

    public IActivation newActivation() {
        return activation.get();
    }

    public boolean minesTheBatch() {
        return group == 0;
    }

    /** A batch size the case accepts: a multiple of its group, with several examples per class. */
    public int rows() {
        return group == 2 ? 8 : 9;
    }

    public INDArray labels(int rows, long seed, DataType type) {
        return labelKind.generate(rows, CLASSES, seed, type);
    }

    /** Pre-activations: class clusters for the mined cases, Gaussian ones times {@code scale} otherwise. */
    public INDArray preOutput(INDArray labels, long seed, DataType type) {
        if (minesTheBatch()) {
            return MetricLabels.clustered(labels.castTo(type), outputs, 0.8, seed).muli(scale);
        }
        return LossCase.gaussian((int) labels.size(0), outputs, seed, scale, type);
    }

    @Override
    public String toString() {
        return name;
    }
}
