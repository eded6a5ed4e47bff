package io.github.losskit.dl4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.core.metric.Mining;
import io.github.losskit.dl4j.LossFocal;
import io.github.losskit.dl4j.LossTriplet;
import io.github.losskit.dl4j.diagnostics.ClassificationDiagnosticsListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/** Long training runs in the regimes where losses blow up: extreme imbalance and collapsed embeddings. */
class LongRunTest {

    private static final int ITERATIONS = 2_000;
    private static final int CHECK_EVERY = 100;
    private static final int BATCH = 64;

    private static boolean finite(INDArray array) {
        return !(array.isNaN().any() || array.isInfinite().any());
    }

    /** {@code batches} holds CHECK_EVERY minibatches: one epoch over them is one check interval. */
    private static void train(MultiLayerNetwork net, List<DataSet> batches, String what) {
        assertEquals(CHECK_EVERY, batches.size());
        // fitting an iterator costs less per minibatch than separate fit(DataSet) calls
        ExistingDataSetIterator iterator = new ExistingDataSetIterator(batches);
        for (int i = CHECK_EVERY; i <= ITERATIONS; i += CHECK_EVERY) {
            net.fit(iterator);
            double score = net.score();
            assertTrue(Double.isFinite(score), what + ": score " + score + " at iteration " + i);
            assertTrue(finite(net.params()), what + ": parameters not finite at iteration " + i);
        }
        assertEquals(ITERATIONS, net.getIterationCount());
    }

    @Test
    void focalLossAtOneToHundredImbalanceStaysFinite() {
        // 1:100 imbalance: most minibatches hold no minority example, the rest hold one
        Random random = new Random(7);
        int rows = CHECK_EVERY * BATCH;
        double[][] x = new double[rows][8];
        double[][] y = new double[rows][2];
        for (int r = 0; r < rows; r++) {
            boolean minority = r % 101 == 50;
            for (int f = 0; f < 8; f++) {
                x[r][f] = random.nextGaussian() + (minority ? 2.0 : 0.0);
            }
            y[r][minority ? 1 : 0] = 1;
        }
        DataSet all = new DataSet(Nd4j.createFromArray(x).castTo(DataType.FLOAT),
                Nd4j.createFromArray(y).castTo(DataType.FLOAT));
        List<DataSet> batches = all.batchBy(BATCH);

        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.FLOAT).updater(new Adam(0.01)).list()
                .layer(new DenseLayer.Builder().nIn(8).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder().lossFunction(new LossFocal()).activation(Activation.SOFTMAX)
                        .nIn(16).nOut(2).build())
                .build());
        net.init();
        ClassificationDiagnosticsListener diagnostics = new ClassificationDiagnosticsListener(CHECK_EVERY);
        net.setListeners(diagnostics);
        train(net, batches, "focal 1:100");
        ClassificationDiagnosticsListener.Reading reading = diagnostics.latest();
        assertTrue(reading != null && reading.scoreFinite() && reading.logitsFinite(), "diagnostics " + reading);
        assertEquals(ITERATIONS - CHECK_EVERY, reading.iteration(), "diagnostics " + reading);
    }

    @Test
    void batchHardTripletFromCollapsedEmbeddingsStaysFinite() {
        // weights of scale 1e-4 put every embedding within ~1e-6 of the origin: all distances start near 0,
        // where a Euclidean distance's gradient is undefined
        Random random = new Random(11);
        int classes = 8;
        List<DataSet> batches = new ArrayList<>();
        for (int b = 0; b < CHECK_EVERY; b++) {
            // 4 examples of each of 8 classes: batch-hard mining has positives and negatives for every anchor
            double[][] x = new double[32][10];
            double[][] y = new double[32][1];
            for (int r = 0; r < 32; r++) {
                int c = r % classes;
                y[r][0] = c;
                for (int f = 0; f < 10; f++) {
                    x[r][f] = 0.3 * random.nextGaussian() + (f == c ? 1.0 : 0.0);
                }
            }
            batches.add(new DataSet(Nd4j.createFromArray(x).castTo(DataType.FLOAT),
                    Nd4j.createFromArray(y).castTo(DataType.FLOAT)));
        }
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                .dataType(DataType.FLOAT).updater(new Adam(0.005)).weightInit(new NormalDistribution(0, 1e-4))
                .list()
                .layer(new DenseLayer.Builder().nIn(10).nOut(16).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder().nIn(16).nOut(4).activation(Activation.IDENTITY)
                        .lossFunction(LossTriplet.builder().mining(Mining.BATCH_HARD).build()).build())
                .build());
        net.init();
        double initial = net.output(batches.get(0).getFeatures()).norm2Number().doubleValue();
        assertTrue(initial < 1e-3, "embeddings start collapsed: norm " + initial);
        train(net, batches, "batch-hard triplet");
    }
}
