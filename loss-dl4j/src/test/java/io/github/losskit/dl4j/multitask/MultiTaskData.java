package io.github.losskit.dl4j.multitask;

import io.github.losskit.dl4j.LossCrossEntropy;
import io.github.losskit.dl4j.LossKLDivergence;
import io.github.losskit.dl4j.LossMultiTask;
import io.github.losskit.dl4j.LossSmoothL1;
import io.github.losskit.dl4j.testing.LabelKind;
import io.github.losskit.dl4j.testing.LossCase;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The head the multi-task tests share: a 4-class softmax task on columns [0, 4), a 2-column box regression on
 * [4, 6) and a 3-class predicted distribution on [6, 9), the layout of the PyTorch reference's heads.
 */
final class MultiTaskData {

    static final int CLASSES = 4;
    static final int BOX = 2;
    static final int BINS = 3;
    static final int COLUMNS = CLASSES + BOX + BINS;

    private MultiTaskData() {
    }

    /** The head with the given task weights and smooth L1 beta. */
    static LossMultiTask head(double classWeight, double boxWeight, double distWeight, double beta) {
        return LossMultiTask.builder()
                .task("class", new LossCrossEntropy(), Activation.SOFTMAX, 0, CLASSES, classWeight)
                .task("box", new LossSmoothL1(beta), Activation.IDENTITY, CLASSES, CLASSES + BOX, boxWeight)
                .task("dist", new LossKLDivergence(), Activation.SOFTMAX, CLASSES + BOX, COLUMNS, distWeight)
                .build();
    }

    static LossMultiTask head() {
        return head(1.0, 5.0, 0.25, 1.0);
    }

    /** One-hot classes, Gaussian boxes and soft distributions, side by side. */
    static INDArray labels(int rows, long seed, DataType type) {
        return Nd4j.hstack(LabelKind.ONE_HOT.generate(rows, CLASSES, seed, type),
                LabelKind.REAL.generate(rows, BOX, seed + 1, type), LabelKind.SOFT.generate(rows, BINS, seed + 2, type));
    }

    static INDArray preOutput(int rows, long seed, DataType type) {
        return LossCase.gaussian(rows, COLUMNS, seed, 2.0, type);
    }

    static INDArray column(double... values) {
        return Nd4j.createFromArray(values).reshape(values.length, 1);
    }
}
