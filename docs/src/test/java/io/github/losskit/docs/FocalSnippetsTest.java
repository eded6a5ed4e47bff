package io.github.losskit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.dl4j.LossFocal;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

/** The focal-loss snippets of the README and of docs/losses/LossFocal.md. */
class FocalSnippetsTest {

    private static final double[][] LOGITS = {{2.0, -1.0}, {0.3, 0.1}, {-4.0, 3.0}, {0.0, 0.0}};
    private static final double[][] ONE_HOT = {{1, 0}, {0, 1}, {1, 0}, {0, 1}};

    @Test
    void quickStart() {
        DataSet trainingData = ToyData.imbalanced(220, 4, 10, 42);

        // region: quickStart
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42)
                .updater(new Adam(0.01))
                .list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder()
                        .lossFunction(LossFocal.builder().gamma(2).alpha(0.25).build())
                        .activation(Activation.SOFTMAX)
                        .nIn(16).nOut(2)
                        .build())
                .build();

        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        for (int epoch = 0; epoch < 40; epoch++) {
            net.fit(trainingData);
        }
        // endregion

        BaseOutputLayer outputLayer = (BaseOutputLayer) conf.getConf(1).getLayer();
        assertEquals(new LossFocal(2, new double[] {0.25}), outputLayer.getLossFn());
        assertEquals(new LossFocal(), outputLayer.getLossFn(), "gamma 2, alpha 0.25 are the defaults");

        // the same configuration and seed give the same initial parameters: the score before training
        MultiLayerNetwork untrained = new MultiLayerNetwork(conf.clone());
        untrained.init();
        double before = untrained.score(trainingData);
        double after = net.score(trainingData);
        assertTrue(Double.isFinite(before) && Double.isFinite(after), before + " -> " + after);
        assertTrue(after < 0.7 * before, "training should lower the focal score: " + before + " -> " + after);
    }

    @Test
    void perClassAlpha() {
        // region: perClassAlpha
        // alpha_c multiplies class c's term: here the rare class 1 counts three times as much as class 0
        LossFocal loss = LossFocal.builder().gamma(2).alpha(0.25, 0.75).build();
        OutputLayer output = new OutputLayer.Builder()
                .lossFunction(loss)
                .activation(Activation.SOFTMAX)
                .nIn(16).nOut(2)
                .build();
        // endregion

        assertEquals(loss, output.getLossFn());
        double[] alpha = {0.25, 0.75};
        double[] expected = new double[LOGITS.length];
        for (int n = 0; n < LOGITS.length; n++) {
            double[] logP = Direct.logSoftmax(LOGITS[n]);
            for (int c = 0; c < 2; c++) {
                double p = Math.exp(logP[c]);
                expected[n] -= alpha[c] * ONE_HOT[n][c] * (1 - p) * (1 - p) * logP[c];
            }
        }
        INDArray perExample = output.getLossFn().computeScoreArray(Direct.doubles(ONE_HOT), Direct.doubles(LOGITS),
                output.getActivationFn(), null);
        Direct.assertPerExample(expected, perExample, 1e-12);
    }

    @Test
    void sigmoid() {
        // region: sigmoid
        // one sigmoid per output, each a binary focal term as in torchvision's sigmoid_focal_loss
        OutputLayer output = new OutputLayer.Builder()
                .lossFunction(new LossFocal())
                .activation(Activation.SIGMOID)
                .nIn(16).nOut(2)
                .build();
        // endregion

        double gamma = 2;
        double alpha = 0.25;
        double[] expected = new double[LOGITS.length];
        for (int n = 0; n < LOGITS.length; n++) {
            for (int k = 0; k < 2; k++) {
                double x = LOGITS[n][k];
                double y = ONE_HOT[n][k];
                double p = Direct.sigmoid(x);
                double bce = y * Direct.negLogSigmoid(x) + (1 - y) * Direct.negLogSigmoid(-x);
                double pt = p * y + (1 - p) * (1 - y);
                double alphaT = alpha * y + (1 - alpha) * (1 - y);
                expected[n] += alphaT * Math.pow(1 - pt, gamma) * bce;
            }
        }
        INDArray perExample = output.getLossFn().computeScoreArray(Direct.doubles(ONE_HOT), Direct.doubles(LOGITS),
                output.getActivationFn(), null);
        Direct.assertPerExample(expected, perExample, 1e-12);
    }
}
