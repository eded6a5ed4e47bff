package io.github.losskit.dl4j.metric;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The label formats of the metric losses, each with a seeded generator. */
enum MetricLabels {
    /** [2N, 1]: each pair's similarity (1/0) on both of its rows; both values occur. */
    PAIR_SIMILARITY,
    /** [N, 1]: class ids, every class at least twice. */
    CLASS_IDS,
    /** [N, K]: one-hot rows, every class at least twice. */
    ONE_HOT,
    /** [3N, 1]: ignored by consecutive triplets. */
    IGNORED;

    /** The class of each row for the class formats, shuffled with the seed. */
    static int[] classes(int rows, int classes, long seed) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            ids.add(i % classes);
        }
        Collections.shuffle(ids, new Random(seed));
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    INDArray generate(int rows, int classes, long seed, DataType type) {
        double[][] labels;
        switch (this) {
            case PAIR_SIMILARITY -> {
                Random random = new Random(seed);
                labels = new double[rows][1];
                for (int pair = 0; pair < rows / 2; pair++) {
                    double similar = pair == 0 ? 1 : pair == 1 ? 0 : random.nextBoolean() ? 1 : 0;
                    labels[2 * pair][0] = similar;
                    labels[2 * pair + 1][0] = similar;
                }
            }
            case CLASS_IDS -> {
                int[] ids = classes(rows, classes, seed);
                labels = new double[rows][1];
                for (int i = 0; i < rows; i++) {
                    labels[i][0] = ids[i];
                }
            }
            case ONE_HOT -> {
                int[] ids = classes(rows, classes, seed);
                labels = new double[rows][classes];
                for (int i = 0; i < rows; i++) {
                    labels[i][ids[i]] = 1;
                }
            }
            case IGNORED -> labels = new double[rows][1];
            default -> throw new AssertionError(this);
        }
        return Nd4j.createFromArray(labels).castTo(type);
    }

    /** Class centres (one per class, Gaussian) plus Gaussian noise of {@code spread}; the labels' classes. */
    static INDArray clustered(INDArray labels, int dimensions, double spread, long seed) {
        Random random = new Random(seed);
        int rows = (int) labels.size(0);
        int classes = labels.size(1) == 1 ? (int) labels.maxNumber().doubleValue() + 1 : (int) labels.size(1);
        double[][] centres = new double[classes][dimensions];
        for (double[] centre : centres) {
            for (int d = 0; d < dimensions; d++) {
                centre[d] = random.nextGaussian();
            }
        }
        double[][] x = new double[rows][dimensions];
        for (int i = 0; i < rows; i++) {
            int c = labels.size(1) == 1 ? labels.getInt(i, 0) : Nd4j.argMax(labels.getRow(i)).getInt(0);
            for (int d = 0; d < dimensions; d++) {
                x[i][d] = centres[c][d] + spread * random.nextGaussian();
            }
        }
        return Nd4j.createFromArray(x).castTo(labels.dataType());
    }
}
