package io.github.losskit.dl4j.metric.aids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.core.metric.Mining;
import io.github.losskit.core.metric.PairMode;
import io.github.losskit.dl4j.LossContrastive;
import io.github.losskit.dl4j.LossTriplet;
import io.github.losskit.dl4j.metric.EmbeddingHealthListener;
import io.github.losskit.dl4j.metric.EmbeddingHealthListener.Statistics;
import io.github.losskit.dl4j.metric.PerClassSamplingIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

class EmbeddingHealthListenerTest {

    private static final LossTriplet BATCH_HARD = LossTriplet.builder().mining(Mining.BATCH_HARD).margin(1.0).build();
    private static final INDArray LABELS = Nd4j.createFromArray(new double[][] {{0}, {0}, {1}, {1}});

    /** Two tight clusters 10 apart: every triplet satisfied by far more than the margin. */
    private static INDArray separated() {
        return Nd4j.createFromArray(new double[][] {{0, 0}, {0.1, 0}, {10, 0}, {10, 0.1}});
    }

    @Test
    void separatedEmbeddingsHaveNoActiveTripletsAndLargeNegativeDistances() {
        Statistics s = new EmbeddingHealthListener(1).measure(separated(), LABELS, 0.0, BATCH_HARD, 3, 1);
        assertEquals(0.0, s.activeFraction());
        assertEquals(0.1, s.meanPositiveDistance(), 1e-9);
        // negative pairs: (0,2)=10, (0,3)=sqrt(100.01), (1,2)=9.9, (1,3)=sqrt(98.01+0.01)
        double expected = (10 + Math.sqrt(100.01) + 9.9 + Math.sqrt(98.02)) / 4;
        assertEquals(expected, s.meanNegativeDistance(), 1e-9);
        assertFalse(s.collapseWarning());
        assertFalse(s.nanScore());
        assertEquals(3, s.iteration());
        assertEquals(1, s.epoch());
    }

    @Test
    void collapsedEmbeddingsAtTheMarginRaiseTheCollapseFlag() {
        INDArray collapsed = Nd4j.createFromArray(new double[][] {{1, 1}, {1, 1.001}, {1.001, 1}, {1, 1}});
        EmbeddingHealthListener listener = new EmbeddingHealthListener(1);
        Statistics s = listener.measure(collapsed, LABELS, 1.0005, BATCH_HARD, 0, 0);
        assertEquals(1.0, s.activeFraction(), "every triplet is inside the margin");
        assertTrue(s.meanPositiveDistance() < 0.01 && s.meanNegativeDistance() < 0.01, s.toString());
        assertTrue(s.collapseWarning(), s.toString());
        assertEquals(s, listener.latest());

        // collapsed distances but a score far from the margin (e.g. a different loss scale): no warning
        assertFalse(listener.measure(collapsed, LABELS, 0.3, BATCH_HARD, 0, 0).collapseWarning());
        // the score at the margin with separated embeddings: no warning either
        assertFalse(listener.measure(separated(), LABELS, 1.0, BATCH_HARD, 0, 0).collapseWarning());
    }

    @Test
    void contrastivePairsAndTheirCollapsedScore() {
        LossContrastive contrastive = LossContrastive.builder().margin(2.0).pairs(PairMode.ALL_IN_BATCH).build();
        EmbeddingHealthListener listener = new EmbeddingHealthListener(1);
        // positive pairs at 0.1 (active: > positive margin 0), negatives ~10 (inactive): 4 of 12 ordered pairs
        Statistics s = listener.measure(separated(), LABELS, 0.01, contrastive, 0, 0);
        assertEquals(4.0 / 12.0, s.activeFraction(), 1e-12);
        INDArray collapsed = Nd4j.zeros(DataType.DOUBLE, 4, 2);
        // collapsed: each of the 8 of 12 negative pairs costs m^2 = 4
        Statistics c = listener.measure(collapsed, LABELS, 8.0 / 12.0 * 4.0, contrastive, 0, 0);
        assertEquals(8.0 / 12.0, c.activeFraction(), 1e-12);
        assertTrue(c.collapseWarning(), c.toString());
    }

    @Test
    void oneHotLabelsAreAccepted() {
        INDArray oneHot = Nd4j.createFromArray(new double[][] {{1, 0}, {1, 0}, {0, 1}, {0, 1}});
        Statistics s = new EmbeddingHealthListener(1).measure(separated(), oneHot, 0.0, BATCH_HARD, 0, 0);
        assertEquals(0.1, s.meanPositiveDistance(), 1e-9);
    }

    @Test
    void nanScoreIsFlagged() {
        Statistics s = new EmbeddingHealthListener(1).measure(separated(), LABELS, Double.NaN, BATCH_HARD, 0, 0);
        assertTrue(s.nanScore());
        assertFalse(s.collapseWarning());
    }

    @Test
    void rejectsUnmeasurableLossesAndBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new EmbeddingHealthListener(0));
        assertThrows(IllegalArgumentException.class,
                () -> new EmbeddingHealthListener(1, 0.05, new LossTriplet()));
        assertThrows(IllegalArgumentException.class,
                () -> new EmbeddingHealthListener(1).measure(separated(), LABELS, 0, new LossContrastive(), 0, 0));
    }

    @Test
    void ignoresANetworkWhoseLossIsNotMetric() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new OutputLayer.Builder().nIn(2).nOut(2).activation(Activation.IDENTITY)
                        .lossFunction(new LossMSE()).build()).build());
        net.init();
        EmbeddingHealthListener listener = new EmbeddingHealthListener(1);
        net.setListeners(listener);
        net.fit(Nd4j.rand(4, 2), Nd4j.rand(4, 2));
        assertNull(listener.latest());
    }

    /** Clusters hidden in 4 of 12 dimensions; batch-hard training with P x K batches separates them. */
    @Test
    void trainingWithTheSamplerLowersTheActiveFraction() {
        Random random = new Random(7);
        int classes = 6;
        int perClass = 20;
        double[][] centres = new double[classes][4];
        for (double[] c : centres) {
            for (int d = 0; d < 4; d++) {
                c[d] = 2 * random.nextGaussian();
            }
        }
        double[][] x = new double[classes * perClass][12];
        double[][] y = new double[classes * perClass][classes];
        for (int i = 0; i < x.length; i++) {
            int c = i % classes;
            y[i][c] = 1;
            for (int d = 0; d < 12; d++) {
                x[i][d] = d < 4 ? centres[c][d] + 0.3 * random.nextGaussian() : random.nextGaussian();
            }
        }
        DataSet data = new DataSet(Nd4j.createFromArray(x).castTo(DataType.FLOAT),
                Nd4j.createFromArray(y).castTo(DataType.FLOAT));

        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(42).dataType(DataType.FLOAT)
                .updater(new Adam(0.01)).list()
                .layer(new DenseLayer.Builder().nIn(12).nOut(16).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder().nIn(16).nOut(4).activation(Activation.IDENTITY)
                        .lossFunction(LossTriplet.builder().mining(Mining.BATCH_HARD).margin(0.5).build()).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        EmbeddingHealthListener health = new EmbeddingHealthListener(5);
        List<Statistics> history = new ArrayList<>();
        net.setListeners(health, new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                // listeners run in order: health has measured this iteration already
                if (health.latest() != null && health.latest().iteration() == iteration) {
                    history.add(health.latest());
                }
            }
        });
        PerClassSamplingIterator sampler = new PerClassSamplingIterator(data, 4, 5, 10, 2024L);
        for (int epoch = 0; epoch < 12; epoch++) {
            net.fit(sampler);
        }
        assertTrue(history.size() >= 20, "measured every 5 iterations: " + history.size());
        history.forEach(s -> assertFalse(s.nanScore() || s.collapseWarning(), s.toString()));
        double early = (history.get(0).activeFraction() + history.get(1).activeFraction()) / 2;
        int last = history.size() - 1;
        double late = (history.get(last).activeFraction() + history.get(last - 1).activeFraction()) / 2;
        assertNotNull(health.latest());
        assertTrue(late < 0.5 * early, "active fraction " + early + " -> " + late);
        assertTrue(health.latest().meanNegativeDistance() > health.latest().meanPositiveDistance(),
                health.latest().toString());
    }
}
