package io.github.losskit.dl4j.testing;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The kinds of labels the losses take, each with a seeded generator. */
public enum LabelKind {
    /** One 1 per row (multi-class). */
    ONE_HOT,
    /** Non-negative rows summing to 1 (soft multi-class labels). */
    SOFT,
    /** Independent 0/1 per output (multi-label). */
    BINARY,
    /** Independent values in [0, 1] per output (soft binary labels). */
    SOFT_BINARY,
    /** Independent -1/+1 per output (margin losses). */
    PLUS_MINUS_ONE,
    /** Gaussian regression targets. */
    REAL,
    /** Log-probabilities of soft multi-class labels. */
    LOG_SOFT;

    public INDArray generate(int rows, int columns, long seed, DataType type) {
        Random random = new Random(seed);
        double[][] labels = new double[rows][columns];
        if (this == LOG_SOFT) {
            return org.nd4j.linalg.ops.transforms.Transforms.log(SOFT.generate(rows, columns, seed, type), false);
        }
        for (int r = 0; r < rows; r++) {
            switch (this) {
                case LOG_SOFT -> throw new AssertionError();
                case PLUS_MINUS_ONE -> {
                    for (int c = 0; c < columns; c++) {
                        labels[r][c] = random.nextBoolean() ? 1 : -1;
                    }
                }
                case REAL -> {
                    for (int c = 0; c < columns; c++) {
                        labels[r][c] = 1.5 * random.nextGaussian();
                    }
                }
                case ONE_HOT -> labels[r][random.nextInt(columns)] = 1;
                case SOFT -> {
                    double sum = 0;
                    for (int c = 0; c < columns; c++) {
                        labels[r][c] = random.nextDouble() + 0.01;
                        sum += labels[r][c];
                    }
                    for (int c = 0; c < columns; c++) {
                        labels[r][c] /= sum;
                    }
                }
                case BINARY -> {
                    for (int c = 0; c < columns; c++) {
                        labels[r][c] = random.nextDouble() < 0.3 ? 1 : 0;
                    }
                }
                case SOFT_BINARY -> {
                    for (int c = 0; c < columns; c++) {
                        labels[r][c] = random.nextDouble();
                    }
                }
            }
        }
        return Nd4j.createFromArray(labels).castTo(type);
    }
}
