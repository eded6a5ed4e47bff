package io.github.losskit.docs;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Small deterministic data for the snippets. {@link Random} rather than ND4J's generator, so that the data do
 * not depend on the backend or on what other tests drew before.
 */
final class ToyData {

    private ToyData() {
    }

    /**
     * Two overlapping Gaussian clusters with one-hot labels [n, 2]; class 1 is the minority, one example in
     * {@code majorityPerMinority + 1}.
     */
    static DataSet imbalanced(int examples, int features, int majorityPerMinority, long seed) {
        Random random = new Random(seed);
        double[][] x = new double[examples][features];
        double[][] y = new double[examples][2];
        for (int i = 0; i < examples; i++) {
            int label = i % (majorityPerMinority + 1) == 0 ? 1 : 0;
            y[i][label] = 1;
            for (int j = 0; j < features; j++) {
                x[i][j] = (label == 1 ? 1.0 : -0.3) + random.nextGaussian();
            }
        }
        return new DataSet(array(x), array(y));
    }

    /**
     * Multi-label data: label k is 1 where a fixed random projection of the features exceeds a threshold
     * that makes positives rare (between about 10 and 30 percent). Every label has at least one positive.
     */
    static DataSet multiLabel(int examples, int features, int labels, long seed) {
        Random random = new Random(seed);
        double[][] x = new double[examples][features];
        for (double[] row : x) {
            for (int j = 0; j < features; j++) {
                row[j] = random.nextGaussian();
            }
        }
        double[][] y = new double[examples][labels];
        for (int k = 0; k < labels; k++) {
            double[] w = new double[features];
            for (int j = 0; j < features; j++) {
                w[j] = random.nextGaussian() / Math.sqrt(features);
            }
            double threshold = 0.8 + 0.1 * k;
            for (int i = 0; i < examples; i++) {
                double s = 0;
                for (int j = 0; j < features; j++) {
                    s += w[j] * x[i][j];
                }
                y[i][k] = s > threshold ? 1 : 0;
            }
            y[k][k] = 1;
        }
        return new DataSet(array(x), array(y));
    }

    /**
     * Sequences of different lengths, padded to {@code steps}: features [n, 3, steps], one-hot labels
     * [n, 2, steps] (class 1 where the step's features sum to more than 1, which is rare), and a mask
     * [n, steps] with 1 for real steps. Sequence i has {@code steps - i % (steps / 2)} real steps.
     */
    static Sequences paddedSequences(int sequences, int steps, long seed) {
        Random random = new Random(seed);
        INDArray features = Nd4j.zeros(DataType.FLOAT, sequences, 3, steps);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, sequences, 2, steps);
        INDArray mask = Nd4j.zeros(DataType.FLOAT, sequences, steps);
        for (int i = 0; i < sequences; i++) {
            int length = steps - i % (steps / 2);
            for (int t = 0; t < length; t++) {
                double sum = 0;
                for (int f = 0; f < 3; f++) {
                    double v = random.nextGaussian();
                    features.putScalar(new int[] {i, f, t}, v);
                    sum += v;
                }
                labels.putScalar(new int[] {i, sum > 1 ? 1 : 0, t}, 1.0);
                mask.putScalar(new int[] {i, t}, 1.0);
            }
        }
        return new Sequences(features, labels, mask);
    }

    record Sequences(INDArray features, INDArray labels, INDArray mask) {
    }

    static INDArray array(double[][] values) {
        return Nd4j.createFromArray(values).castTo(DataType.FLOAT);
    }
}
