package io.github.losskit.docs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.losskit.dl4j.LossCrossEntropy;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The snippet of docs/losses/LossCrossEntropy.md. */
class CrossEntropySnippetsTest {

    @Test
    void smoothingAndWeights() {
        // region: smoothingAndWeights
        LossCrossEntropy loss = LossCrossEntropy.builder()
                .labelSmoothing(0.1)
                .weights(1.0, 1.0, 4.0) // class 2 is rare: its terms count four times
                .build();
        OutputLayer output = new OutputLayer.Builder()
                .lossFunction(loss)
                .activation(Activation.SOFTMAX)
                .nIn(32).nOut(3)
                .build();
        // endregion

        assertEquals(0.1, loss.getLabelSmoothing());
        assertArrayEquals(new double[] {1, 1, 4}, loss.getWeights());

        double[][] logits = {{2.0, 0.5, -1.0}, {-3.0, 1.0, 4.0}, {0.0, 0.0, 0.0}};
        double[][] labels = {{1, 0, 0}, {0, 0, 1}, {0.2, 0.3, 0.5}};
        double[] weights = {1, 1, 4};
        double eps = 0.1;
        double[] expected = new double[logits.length];
        for (int n = 0; n < logits.length; n++) {
            double[] logP = Direct.logSoftmax(logits[n]);
            for (int c = 0; c < 3; c++) {
                // eps / K goes to every class, the target class included (PyTorch, Keras)
                double smoothed = (1 - eps) * labels[n][c] + eps / 3;
                expected[n] -= weights[c] * smoothed * logP[c];
            }
        }
        INDArray perExample = output.getLossFn().computeScoreArray(Direct.doubles(labels), Direct.doubles(logits),
                output.getActivationFn(), null);
        Direct.assertPerExample(expected, perExample, 1e-12);

        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list().layer(output).build();
        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(loss, ((BaseOutputLayer) restored.getConf(0).getLayer()).getLossFn());
    }
}
