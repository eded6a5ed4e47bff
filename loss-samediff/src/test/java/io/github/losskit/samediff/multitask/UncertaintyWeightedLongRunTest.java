package io.github.losskit.samediff.multitask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.samediff.UncertaintyWeightingForm;
import io.github.losskit.samediff.layers.TaskLoss;
import io.github.losskit.samediff.layers.UncertaintyWeightedOutputLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * A long run of the learnable multi-task layer where uncertainty weighting is at its most fragile: one task whose
 * targets are almost all noise (its s = log sigma^2 must grow), one almost noiseless regression and one separable
 * classification (their losses shrink towards 0, so their s fall and exp(-s) multiplies their gradients), in
 * float, with a high learning rate. 2,000 iterations must never produce a NaN or infinite score or parameter, and
 * each learned s must sit near its optimum log L_t (the minimiser of exp(-s) L + s, in both forms). At the end the
 * weights exp(-s) of the clean tasks are ~1e4 times the noisy task's.
 */
class UncertaintyWeightedLongRunTest {

    private static final int ITERATIONS = 2_000;
    private static final int BATCHES = 100;
    private static final int BATCH = 32;
    private static final int FEATURES = 4;
    private static final int CLASSES = 3;
    private static final double NOISY_SD = 30;
    private static final double CLEAN_SD = 1e-3;
    /** Far beyond any residual here: the Huber loss is then exactly half the squared error. */
    private static final double HUBER_DELTA = 1e4;

    /** Checks every iteration, and keeps the first failure rather than throwing inside DL4J's training loop. */
    private static final class FiniteEveryIteration extends BaseTrainingListener {
        private int iterations;
        private String firstFailure;

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            iterations++;
            double score = model.score();
            INDArray params = model.params();
            if (firstFailure == null && !Double.isFinite(score)) {
                firstFailure = "score " + score + " at iteration " + iteration;
            }
            if (firstFailure == null && (params.isNaN().any() || params.isInfinite().any())) {
                firstFailure = "non-finite parameters at iteration " + iteration;
            }
        }
    }

    /** Columns: noisy target, clean target, one-hot class (3 columns). */
    private static List<DataSet> batches() {
        Random random = new Random(17);
        double[][] classWeights = {{1.5, -1, 0.5, 0}, {-1, 1.5, 0, 0.5}, {0, 0, -1.5, -1}};
        List<DataSet> batches = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            double[][] x = new double[BATCH][FEATURES];
            double[][] y = new double[BATCH][2 + CLASSES];
            for (int r = 0; r < BATCH; r++) {
                for (int f = 0; f < FEATURES; f++) {
                    x[r][f] = random.nextGaussian();
                }
                y[r][0] = x[r][0] - x[r][1] + NOISY_SD * random.nextGaussian();
                y[r][1] = Math.sin(x[r][0]) + 0.5 * x[r][1] * x[r][2] + CLEAN_SD * random.nextGaussian();
                // the class is the argmax of a linear function: separable, so its loss can be driven to 0
                int best = 0;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < CLASSES; c++) {
                    double score = 0;
                    for (int f = 0; f < FEATURES; f++) {
                        score += classWeights[c][f] * x[r][f];
                    }
                    if (score > bestScore) {
                        bestScore = score;
                        best = c;
                    }
                }
                y[r][2 + best] = 1;
            }
            batches.add(new DataSet(Nd4j.createFromArray(x).castTo(DataType.FLOAT),
                    Nd4j.createFromArray(y).castTo(DataType.FLOAT)));
        }
        return batches;
    }

    @Test
    void noisyCleanAndSeparableTasksTrainTwoThousandIterationsWithoutNaN() {
        UncertaintyWeightingForm halved = UncertaintyWeightingForm.HALVED;
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(23)
                .dataType(DataType.FLOAT).updater(new Adam(0.05)).list()
                .layer(new DenseLayer.Builder().nIn(FEATURES).nOut(16).activation(Activation.TANH).build())
                .layer(new UncertaintyWeightedOutputLayer.Builder().nIn(16)
                        .task("noisy", TaskLoss.huber(HUBER_DELTA), Activation.IDENTITY, 0, 1, halved)
                        .task("clean", TaskLoss.huber(HUBER_DELTA), Activation.IDENTITY, 1, 2, halved)
                        .task("class", TaskLoss.crossEntropy(), Activation.SOFTMAX, 2, 2 + CLASSES)
                        .build())
                .build());
        net.init();
        FiniteEveryIteration check = new FiniteEveryIteration();
        net.setListeners(check);
        List<DataSet> batches = batches();
        ExistingDataSetIterator iterator = new ExistingDataSetIterator(batches);
        for (int epoch = 0; epoch < ITERATIONS / BATCHES; epoch++) {
            net.fit(iterator);
            // the parameters include the s of every task, so they too were finite at every iteration
            assertNull(check.firstFailure, check.firstFailure);
        }
        assertEquals(ITERATIONS, check.iterations);

        Map<String, Double> s = UncertaintyWeightedOutputLayer.logVariances(net.getOutputLayer());
        s.values().forEach(value -> assertTrue(Double.isFinite(value), "log-variances " + s));
        Map<String, Double> losses = taskLosses(net, DataSet.merge(batches));
        // the optimum of exp(-s) L + s is s = log L; Adam at a learning rate of 0.05 and the minibatches' spread
        // of L keep s near it, not on it: within a factor e^1.5 of the variance
        for (String task : s.keySet()) {
            double optimum = Math.log(losses.get(task));
            assertTrue(Math.abs(s.get(task) - optimum) < 1.5,
                    task + ": s " + s.get(task) + " but log L " + optimum + " (s " + s + ", L " + losses + ")");
        }
        // half the squared error of pure noise of sd 30 is ~450: log ~6; the clean task's must be far smaller
        assertTrue(s.get("noisy") > Math.log(0.5 * NOISY_SD * NOISY_SD) - 1, "s " + s);
        assertTrue(s.get("noisy") > s.get("clean") + 5, "the noisy task is the most uncertain: s " + s);
        assertTrue(s.get("noisy") > s.get("class") + 3, "the noisy task is the most uncertain: s " + s);
    }

    /**
     * Each task's mean loss over the data, in double from the layer's pre-activations: half the squared error
     * (the Huber loss below delta) and the cross-entropy by a stable log-softmax (float probabilities would round
     * a small cross-entropy to 0).
     */
    private static Map<String, Double> taskLosses(MultiLayerNetwork net, DataSet data) {
        INDArray hidden = net.feedForward(data.getFeatures(), false).get(1).castTo(DataType.DOUBLE);
        INDArray z = hidden.mmul(net.getLayer(1).getParam(UncertaintyWeightedOutputLayer.WEIGHTS)
                .castTo(DataType.DOUBLE)).addiRowVector(net.getLayer(1).getParam(UncertaintyWeightedOutputLayer.BIAS)
                .castTo(DataType.DOUBLE));
        double[][] logits = z.toDoubleMatrix();
        double[][] labels = data.getLabels().castTo(DataType.DOUBLE).toDoubleMatrix();
        double[] sums = new double[3];
        for (int r = 0; r < logits.length; r++) {
            for (int t = 0; t < 2; t++) {
                double residual = logits[r][t] - labels[r][t];
                sums[t] += 0.5 * residual * residual;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 2; c < 2 + CLASSES; c++) {
                max = Math.max(max, logits[r][c]);
            }
            double sumExp = 0;
            double target = 0;
            for (int c = 2; c < 2 + CLASSES; c++) {
                sumExp += Math.exp(logits[r][c] - max);
                target += labels[r][c] * (logits[r][c] - max);
            }
            sums[2] += Math.log(sumExp) - target;
        }
        return Map.of("noisy", sums[0] / logits.length, "clean", sums[1] / logits.length,
                "class", sums[2] / logits.length);
    }
}
