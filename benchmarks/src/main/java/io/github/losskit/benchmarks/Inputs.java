package io.github.losskit.benchmarks;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Benchmark inputs, created once per trial with a fixed seed, float as in training. */
public final class Inputs {

    private Inputs() {
    }

    /** Parses a shape parameter such as "4096x1000" into {rows, columns}. */
    public static int[] shape(String shape) {
        String[] parts = shape.split("x");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }

    public static INDArray gaussian(int rows, int columns, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.FLOAT, rows, columns);
    }

    /** One 1 per row at a random class. */
    public static INDArray oneHot(int rows, int columns, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray classes = Nd4j.rand(DataType.FLOAT, rows).muli(columns);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, rows, columns);
        for (int r = 0; r < rows; r++) {
            labels.putScalar(r, Math.min(columns - 1, (int) classes.getFloat(r)), 1f);
        }
        return labels;
    }

    /** Independent 0/1 labels with the given share of ones. */
    public static INDArray multiLabel(int rows, int columns, double positives, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, rows, columns).lt(positives).castTo(DataType.FLOAT);
    }

    /** Independent -1/+1 labels. */
    public static INDArray signs(int rows, int columns, long seed) {
        return multiLabel(rows, columns, 0.5, seed).muli(2).subi(1);
    }
}
