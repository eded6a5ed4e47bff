package io.github.losskit.dl4j.diagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.dl4j.LossBinaryCrossEntropy;
import io.github.losskit.dl4j.LossFocal;
import io.github.losskit.dl4j.diagnostics.ClassificationDiagnosticsListener.Reading;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;

class ClassificationDiagnosticsListenerTest {

    private static INDArray matrix(double[][] values) {
        return Nd4j.createFromArray(values).castTo(DataType.FLOAT);
    }

    @Test
    void softmaxSaturationCountsRowsWhoseTopTwoGapExceedsTheThreshold() {
        // row 0: gap 20 (saturated); row 1: large logits but gap 1 (softmax is shift-invariant: not saturated);
        // row 2: gap 0.5; row 3: gap 16
        INDArray logits = matrix(new double[][] {{20, 0, -1}, {100, 99, 0}, {0.5, 0, 0}, {-3, 13, -3}});
        INDArray labels = matrix(new double[][] {{1, 0, 0}, {0, 1, 0}, {1, 0, 0}, {0, 1, 0}});
        Reading reading = ClassificationDiagnosticsListener.read(logits, labels, new ActivationSoftmax(),
                new LossFocal(), 0.3, 7, 1, 15);
        assertEquals(0.5, reading.saturatedShare(), 1e-12);
        assertTrue(reading.scoreFinite());
        assertTrue(reading.logitsFinite());
        assertEquals(7, reading.iteration());
    }

    @Test
    void sigmoidSaturationCountsLogitsAboveTheThresholdInMagnitude() {
        INDArray logits = matrix(new double[][] {{20, 0}, {-16, 3}, {1, -2}, {14.9, -30}});
        INDArray labels = matrix(new double[][] {{1, 0}, {0, 1}, {1, 1}, {0, 0}});
        Reading reading = ClassificationDiagnosticsListener.read(logits, labels, new ActivationSigmoid(),
                new LossBinaryCrossEntropy(), 1.0, 0, 0, 15);
        assertEquals(3 / 8.0, reading.saturatedShare(), 1e-12);
        Reading unsaturated = ClassificationDiagnosticsListener.read(logits.mul(0.1), labels,
                new ActivationSigmoid(), new LossBinaryCrossEntropy(), 1.0, 0, 0, 15);
        assertEquals(0.0, unsaturated.saturatedShare(), 0.0);
    }

    @Test
    void softmaxPerClassLossIsTheMeanOfTheLossOfEachClassesExamples() {
        INDArray logits = LossCaseData.gaussian(12, 3, 5);
        double[][] y = new double[12][3];
        int[] classOf = {0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0}; // class 2 absent
        for (int r = 0; r < 12; r++) {
            y[r][classOf[r]] = 1;
        }
        INDArray labels = matrix(y);
        ILossFunction loss = new LossFocal();
        Reading reading = ClassificationDiagnosticsListener.read(logits, labels, new ActivationSoftmax(), loss,
                0.5, 0, 0, 15);
        INDArray perExample = loss.computeScoreArray(labels, logits.dup(), new ActivationSoftmax(), null);
        double[] sum = new double[3];
        long[] count = new long[3];
        for (int r = 0; r < 12; r++) {
            sum[classOf[r]] += perExample.getDouble(r);
            count[classOf[r]]++;
        }
        assertArrayEquals(count, reading.perClassCount());
        assertEquals(sum[0] / count[0], reading.perClassLoss()[0], 1e-5);
        assertEquals(sum[1] / count[1], reading.perClassLoss()[1], 1e-5);
        assertTrue(Double.isNaN(reading.perClassLoss()[2]), "absent class");
    }

    @Test
    void singleOutputSigmoidSplitsExamplesByLabel() {
        INDArray logits = matrix(new double[][] {{2}, {-1}, {0.5}, {-3}, {1}});
        INDArray labels = matrix(new double[][] {{1}, {0}, {0}, {0}, {1}});
        ILossFunction loss = new LossBinaryCrossEntropy();
        Reading reading = ClassificationDiagnosticsListener.read(logits, labels, new ActivationSigmoid(), loss,
                0.5, 0, 0, 15);
        INDArray perExample = loss.computeScoreArray(labels, logits.dup(), new ActivationSigmoid(), null);
        assertArrayEquals(new long[] {3, 2}, reading.perClassCount());
        assertEquals((perExample.getDouble(1) + perExample.getDouble(2) + perExample.getDouble(3)) / 3,
                reading.perClassLoss()[0], 1e-5);
        assertEquals((perExample.getDouble(0) + perExample.getDouble(4)) / 2, reading.perClassLoss()[1], 1e-5);
    }

    @Test
    void nanScoreAndLogitsAreDetected() {
        INDArray logits = matrix(new double[][] {{Double.NaN, 0}, {1, 2}});
        INDArray labels = matrix(new double[][] {{1, 0}, {0, 1}});
        Reading reading = ClassificationDiagnosticsListener.read(logits, labels, new ActivationSoftmax(),
                new LossFocal(), Double.NaN, 0, 0, 15);
        assertFalse(reading.scoreFinite());
        assertFalse(reading.logitsFinite());
        Reading infinite = ClassificationDiagnosticsListener.read(matrix(new double[][] {{1, 0}, {1, 2}}), labels,
                new ActivationSoftmax(), new LossFocal(), Double.POSITIVE_INFINITY, 0, 0, 15);
        assertFalse(infinite.scoreFinite());
        assertTrue(infinite.logitsFinite());
    }

    @Test
    void readingsAreImmutable() {
        Reading reading = new Reading(1, 0, 0.5, true, true, 0, new double[] {1, 2}, new long[] {3, 4});
        reading.perClassLoss()[0] = 99;
        reading.perClassCount()[0] = 99;
        assertEquals(1, reading.perClassLoss()[0]);
        assertEquals(3, reading.perClassCount()[0]);
    }

    @Test
    void refusesOtherActivationsAndBadArguments() {
        INDArray z = matrix(new double[][] {{1, 0}});
        assertThrows(IllegalArgumentException.class, () -> ClassificationDiagnosticsListener.read(z, z,
                new ActivationIdentity(), new LossFocal(), 0, 0, 0, 15));
        assertThrows(IllegalArgumentException.class, () -> new ClassificationDiagnosticsListener(0));
        assertThrows(IllegalArgumentException.class, () -> new ClassificationDiagnosticsListener(1, -1, 0.5));
    }

    @Test
    void listenerReadsTheOutputLayerDuringTraining() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.FLOAT).updater(new Adam(0.01)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder().lossFunction(new LossFocal()).activation(Activation.SOFTMAX)
                        .nIn(8).nOut(3).build())
                .build());
        net.init();
        ClassificationDiagnosticsListener listener = new ClassificationDiagnosticsListener(2);
        net.setListeners(listener);
        INDArray features = LossCaseData.gaussian(30, 4, 9);
        double[][] y = new double[30][3];
        for (int r = 0; r < 30; r++) {
            y[r][r % 3] = 1;
        }
        DataSet data = new DataSet(features, matrix(y));
        for (int i = 0; i < 5; i++) {
            net.fit(data);
        }
        Reading reading = listener.latest();
        assertNotNull(reading);
        assertEquals(0, reading.iteration() % 2);
        assertTrue(reading.scoreFinite());
        assertArrayEquals(new long[] {10, 10, 10}, reading.perClassCount());
        // balanced classes: the mean of the per-class losses is the iteration's score
        double mean = 0;
        for (double l : reading.perClassLoss()) {
            assertTrue(Double.isFinite(l) && l > 0);
            mean += l / 3;
        }
        assertEquals(reading.score(), mean, 1e-4 * reading.score());
    }

    /** Seeded Gaussian matrices. */
    private static final class LossCaseData {
        static INDArray gaussian(int rows, int columns, long seed) {
            return io.github.losskit.dl4j.testing.LossCase.gaussian(rows, columns, seed, 1.0, DataType.FLOAT);
        }
    }
}
