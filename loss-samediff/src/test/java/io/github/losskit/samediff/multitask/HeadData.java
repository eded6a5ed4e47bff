package io.github.losskit.samediff.multitask;

import io.github.losskit.samediff.UncertaintyWeightingForm;
import io.github.losskit.samediff.layers.TaskLoss;
import io.github.losskit.samediff.layers.UncertaintyWeightedOutputLayer;
import java.util.Random;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The head the layer tests share, the layout of the PyTorch reference's heads: 4 classes (softmax
 * cross-entropy) on columns [0, 4), a 2-column box (smooth L1) on [4, 6), a 3-bin distribution (KL) on [6, 9).
 */
final class HeadData {

    static final int COLUMNS = 9;

    private HeadData() {
    }

    static UncertaintyWeightedOutputLayer.Builder head(long nIn, double beta, UncertaintyWeightingForm[] forms,
            double[] initialLogVariances) {
        return new UncertaintyWeightedOutputLayer.Builder().nIn(nIn)
                .task(UncertaintyWeightedOutputLayer.Task.of("class", TaskLoss.crossEntropy(), Activation.SOFTMAX, 0, 4)
                        .withForm(forms[0]).withInitialLogVariance(initialLogVariances[0]))
                .task(UncertaintyWeightedOutputLayer.Task.of("box", TaskLoss.smoothL1(beta), Activation.IDENTITY, 4, 6)
                        .withForm(forms[1]).withInitialLogVariance(initialLogVariances[1]))
                .task(UncertaintyWeightedOutputLayer.Task.of("dist", TaskLoss.klDivergence(), Activation.SOFTMAX, 6,
                        COLUMNS).withForm(forms[2]).withInitialLogVariance(initialLogVariances[2]));
    }

    static UncertaintyWeightedOutputLayer.Builder head(long nIn) {
        UncertaintyWeightingForm standard = UncertaintyWeightingForm.STANDARD;
        return head(nIn, 1.0, new UncertaintyWeightingForm[] {standard, UncertaintyWeightingForm.HALVED, standard},
                new double[] {0.3, -0.5, 0.8});
    }

    /** One-hot classes, Gaussian boxes and soft distributions, side by side. */
    static INDArray labels(int rows, long seed) {
        Random random = new Random(seed);
        double[][] labels = new double[rows][COLUMNS];
        for (double[] row : labels) {
            row[random.nextInt(4)] = 1;
            row[4] = 1.5 * random.nextGaussian();
            row[5] = 1.5 * random.nextGaussian();
            double sum = 0;
            for (int c = 6; c < COLUMNS; c++) {
                row[c] = random.nextDouble() + 0.05;
                sum += row[c];
            }
            for (int c = 6; c < COLUMNS; c++) {
                row[c] /= sum;
            }
        }
        return Nd4j.createFromArray(labels);
    }

    static INDArray gaussian(int rows, int columns, long seed) {
        Random random = new Random(seed);
        double[][] values = new double[rows][columns];
        for (double[] row : values) {
            for (int c = 0; c < columns; c++) {
                row[c] = random.nextGaussian();
            }
        }
        return Nd4j.createFromArray(values).castTo(DataType.DOUBLE);
    }
}
