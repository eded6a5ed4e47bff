package io.github.losskit.dl4j.metric;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.core.metric.Mining;
import io.github.losskit.dl4j.LossTriplet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * A small network trained with batch-hard triplet loss learns an embedding in which nearest neighbours share
 * their class. The data hide 10 Gaussian clusters in 4 of 20 dimensions under stronger noise in the other 16,
 * so that nearest neighbours in the raw input (and in an untrained network's embedding) mostly disagree.
 */
class TripletTrainingTest {

    private static final int CLASSES = 10;
    private static final int DIMENSIONS = 20;
    private static final int INFORMATIVE = 4;

    /** Features [n, 20] and class ids [n, 1]: `perClass` examples of each class, classes interleaved. */
    private static INDArray[] clusters(double[][] centres, int perClass, Random random) {
        int n = CLASSES * perClass;
        double[][] x = new double[n][DIMENSIONS];
        double[][] y = new double[n][1];
        for (int i = 0; i < n; i++) {
            int c = i % CLASSES;
            y[i][0] = c;
            for (int d = 0; d < DIMENSIONS; d++) {
                x[i][d] = d < INFORMATIVE ? centres[c][d] + 0.25 * random.nextGaussian() : 1.5 * random.nextGaussian();
            }
        }
        return new INDArray[] {Nd4j.createFromArray(x).castTo(DataType.FLOAT),
                Nd4j.createFromArray(y).castTo(DataType.FLOAT)};
    }

    /** The fraction of queries whose nearest reference row (Euclidean) has the query's class. */
    static double nearestNeighbourAccuracy(INDArray references, INDArray referenceClasses, INDArray queries,
            INDArray queryClasses) {
        INDArray distances = queries.mmul(references.transpose()).muli(-2.0)
                .addiRowVector(references.mul(references).sum(1).reshape(1, references.size(0)));
        INDArray nearest = Nd4j.argMin(distances, 1);
        int correct = 0;
        for (int i = 0; i < queries.size(0); i++) {
            correct += referenceClasses.getInt(nearest.getInt(i), 0) == queryClasses.getInt(i, 0) ? 1 : 0;
        }
        return correct / (double) queries.size(0);
    }

    @Test
    void batchHardTripletLossSeparatesTenClusters() {
        Random random = new Random(20240611);
        double[][] centres = new double[CLASSES][INFORMATIVE];
        for (double[] centre : centres) {
            for (int d = 0; d < INFORMATIVE; d++) {
                centre[d] = random.nextGaussian();
            }
        }
        INDArray[] train = clusters(centres, 60, random);
        INDArray[] test = clusters(centres, 30, random);

        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(42).dataType(DataType.FLOAT)
                .updater(new Adam(0.01)).list()
                .layer(new DenseLayer.Builder().nIn(DIMENSIONS).nOut(32).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder().nIn(32).nOut(8).activation(Activation.IDENTITY)
                        .lossFunction(LossTriplet.builder().mining(Mining.BATCH_HARD).margin(0.5).build()).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();

        double raw = nearestNeighbourAccuracy(train[0], train[1], test[0], test[1]);
        double untrained = nearestNeighbourAccuracy(net.output(train[0]), train[1], net.output(test[0]), test[1]);
        assertTrue(raw < 0.7 && untrained < 0.7, "the task needs learning: raw " + raw + ", untrained " + untrained);

        // shuffled batches of 80 from 10 classes: almost every anchor has positives and negatives
        int rows = (int) train[0].size(0);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            order.add(i);
        }
        int batch = 80;
        for (int epoch = 0; epoch < 40; epoch++) {
            Collections.shuffle(order, random);
            for (int start = 0; start + batch <= rows; start += batch) {
                int[] rowsOfBatch = order.subList(start, start + batch).stream().mapToInt(Integer::intValue).toArray();
                net.fit(train[0].getRows(rowsOfBatch), train[1].getRows(rowsOfBatch));
            }
        }
        double trained = nearestNeighbourAccuracy(net.output(train[0]), train[1], net.output(test[0]), test[1]);
        assertTrue(trained >= 0.9, "nearest-neighbour accuracy " + trained + " (raw " + raw + ", untrained "
                + untrained + ", score " + net.score() + ")");
    }
}
