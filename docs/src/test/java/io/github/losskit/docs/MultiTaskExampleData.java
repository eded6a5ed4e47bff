package io.github.losskit.docs;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The synthetic data of the multi-task head example (docs/multitask.md): 8 Gaussian features and, side by side
 * in the labels, a class out of 4 ([0, 4), one-hot), a 4-number box ([4, 8)) and a distribution over 3 bins
 * ([8, 11)). Each task is a fixed random function of the features plus its own noise, so the noise sets how low
 * each task's loss can go.
 */
final class MultiTaskExampleData {

    static final int FEATURES = 8;
    static final int CLASSES = 4;
    static final int BOX = 4;
    static final int BINS = 3;

    /**
     * @param classFlips        the fraction of examples whose class is replaced by a uniformly random one
     * @param boxNoise          the standard deviation of Gaussian noise added to every box coordinate
     * @param distributionNoise the standard deviation of Gaussian noise added to the distribution's logits
     */
    record Noise(double classFlips, double boxNoise, double distributionNoise) {
    }

    private MultiTaskExampleData() {
    }

    static DataSet generate(int examples, Noise noise, long seed) {
        // the tasks' true functions are the same for every data set; only the samples and the noise differ
        Random truth = new Random(42);
        double[][] classWeights = gaussian(truth, CLASSES, FEATURES, 1 / Math.sqrt(FEATURES));
        double[][] boxWeights = gaussian(truth, BOX, FEATURES, 2 / Math.sqrt(FEATURES));
        double[][] binWeights = gaussian(truth, BINS, FEATURES, 2 / Math.sqrt(FEATURES));
        Random random = new Random(seed);
        double[][] x = gaussian(random, examples, FEATURES, 1.0);
        double[][] y = new double[examples][CLASSES + BOX + BINS];
        for (int i = 0; i < examples; i++) {
            int label = argmax(times(classWeights, x[i]));
            if (random.nextDouble() < noise.classFlips()) {
                label = random.nextInt(CLASSES);
            }
            y[i][label] = 1;
            double[] box = times(boxWeights, x[i]);
            for (int b = 0; b < BOX; b++) {
                y[i][CLASSES + b] = box[b] + noise.boxNoise() * random.nextGaussian();
            }
            double[] logits = times(binWeights, x[i]);
            double sum = 0;
            for (int c = 0; c < BINS; c++) {
                logits[c] = Math.exp(logits[c] + noise.distributionNoise() * random.nextGaussian());
                sum += logits[c];
            }
            for (int c = 0; c < BINS; c++) {
                y[i][CLASSES + BOX + c] = logits[c] / sum;
            }
        }
        return new DataSet(Nd4j.createFromArray(x).castTo(DataType.FLOAT),
                Nd4j.createFromArray(y).castTo(DataType.FLOAT));
    }

    private static double[][] gaussian(Random random, int rows, int columns, double scale) {
        double[][] values = new double[rows][columns];
        for (double[] row : values) {
            for (int j = 0; j < columns; j++) {
                row[j] = scale * random.nextGaussian();
            }
        }
        return values;
    }

    private static double[] times(double[][] weights, double[] x) {
        double[] out = new double[weights.length];
        for (int r = 0; r < weights.length; r++) {
            for (int j = 0; j < x.length; j++) {
                out[r] += weights[r][j] * x[j];
            }
        }
        return out;
    }

    private static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
