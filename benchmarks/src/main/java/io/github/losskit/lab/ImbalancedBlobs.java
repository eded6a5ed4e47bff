package io.github.losskit.lab;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A binary classification problem with one minority row per ten majority rows, drawn from a seed. The
 * majority class is two Gaussian blobs on either side of the minority's blob, so no straight line separates
 * the classes, and the blobs overlap, so that how a loss trades the classes off shows in the minority recall.
 * Only the first two of the eight features carry signal; the rest are noise for the network to ignore.
 */
final class ImbalancedBlobs {

    static final int FEATURES = 8;
    static final int CLASSES = 2;
    static final int MAJORITY = 0;
    static final int MINORITY = 1;
    static final int MAJORITY_PER_MINORITY = 10;
    private static final double MAJORITY_OFFSET = 2.0;
    private static final double MINORITY_OFFSET = 1.0;
    static final String DESCRIPTION = String.format(Locale.ROOT, "%d-D Gaussian blobs of unit variance, majority"
            + " class %d at (+-%s, 0, ...) and minority class %d at (0, %s, 0, ...), 1:%d", FEATURES, MAJORITY,
            MAJORITY_OFFSET, MINORITY, MINORITY_OFFSET, MAJORITY_PER_MINORITY);

    /**
     * Rows of one split, kept as Java arrays so that minibatches are cheap to gather: ND4J's row gathers
     * cost milliseconds per call, more than a training step of this network.
     */
    static final class Split {
        private final float[][] features;
        private final int[] classes;
        private final int minorityRows;

        private Split(float[][] features, int[] classes, int minorityRows) {
            this.features = features;
            this.classes = classes;
            this.minorityRows = minorityRows;
        }

        int rows() {
            return classes.length;
        }

        int minorityRows() {
            return minorityRows;
        }

        int classOf(int row) {
            return classes[row];
        }

        /** The features of one row (a copy). */
        float[] featuresOf(int row) {
            return features[row].clone();
        }

        DataSet all() {
            return rows(IntStream.range(0, rows()).toArray());
        }

        /** The given rows, in the given order, with one-hot labels. */
        DataSet rows(int[] selected) {
            float[][] selectedFeatures = new float[selected.length][];
            float[][] labels = new float[selected.length][CLASSES];
            for (int i = 0; i < selected.length; i++) {
                selectedFeatures[i] = features[selected[i]];
                labels[i][classes[selected[i]]] = 1f;
            }
            return new DataSet(Nd4j.createFromArray(selectedFeatures), Nd4j.createFromArray(labels));
        }
    }

    private ImbalancedBlobs() {
    }

    /** The minority rows of a stratified split of {@code rows} rows. */
    static int minorityRowsOf(int rows) {
        return (int) Math.round(rows / (double) (MAJORITY_PER_MINORITY + 1));
    }

    static double minorityShare() {
        return 1.0 / (MAJORITY_PER_MINORITY + 1);
    }

    /**
     * A split of {@code rows} rows in random order. Draw the test split after the train split from the same
     * {@code random}, so that one seed fixes both.
     */
    static Split draw(Random random, int rows) {
        int minorityRows = minorityRowsOf(rows);
        int[] classes = shuffledClasses(random, rows, minorityRows);
        float[][] features = new float[rows][FEATURES];
        for (int row = 0; row < rows; row++) {
            for (int feature = 0; feature < FEATURES; feature++) {
                features[row][feature] = (float) random.nextGaussian();
            }
            if (classes[row] == MINORITY) {
                features[row][1] += (float) MINORITY_OFFSET;
            } else {
                features[row][0] += (float) (random.nextBoolean() ? MAJORITY_OFFSET : -MAJORITY_OFFSET);
            }
        }
        return new Split(features, classes, minorityRows);
    }

    /** Exactly {@code minorityRows} minority labels among {@code rows}, in random order. */
    private static int[] shuffledClasses(Random random, int rows, int minorityRows) {
        int[] classes = new int[rows];
        Arrays.fill(classes, MAJORITY);
        Arrays.fill(classes, 0, minorityRows, MINORITY);
        return shuffle(classes, random);
    }

    /** Shuffles {@code values} in place (Fisher-Yates) and returns them. */
    static int[] shuffle(int[] values, Random random) {
        for (int i = values.length - 1; i > 0; i--) {
            int other = random.nextInt(i + 1);
            int swapped = values[i];
            values[i] = values[other];
            values[other] = swapped;
        }
        return values;
    }
}
