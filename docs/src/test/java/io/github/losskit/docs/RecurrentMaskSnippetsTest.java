package io.github.losskit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.dl4j.LossFocal;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

/** The recurrent snippet of docs/conventions.md: padded time steps are masked out of the loss. */
class RecurrentMaskSnippetsTest {

    @Test
    void perTimeStepMask() {
        ToyData.Sequences sequences = ToyData.paddedSequences(12, 8, 5);
        INDArray features = sequences.features();
        INDArray labels = sequences.labels();
        INDArray mask = sequences.mask();

        // region: perTimeStepMask
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3)
                .updater(new Adam(0.01))
                .list()
                .layer(new LSTM.Builder().nIn(3).nOut(16).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder()
                        .lossFunction(new LossFocal())
                        .activation(Activation.SOFTMAX)
                        .nIn(16).nOut(2)
                        .build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();

        // features [sequences, 3, steps], labels [sequences, 2, steps], mask [sequences, steps]:
        // 1 for a real step, 0 for the padding after a shorter sequence has ended
        DataSet batch = new DataSet(features, labels, mask, mask);
        for (int epoch = 0; epoch < 30; epoch++) {
            net.fit(batch);
        }
        // endregion

        MultiLayerNetwork untrained = new MultiLayerNetwork(conf.clone());
        untrained.init();
        double before = untrained.score(batch);
        assertEquals(summedFocalOverRealSteps(untrained, features, labels, mask) / features.size(0), before,
                1e-4 * before, "score = focal loss summed over the real steps / number of sequences");

        double after = net.score(batch);
        assertTrue(after < before, "training should lower the score: " + before + " -> " + after);

        // padding may hold anything, NaN included, without changing the score
        INDArray paddedFeatures = features.dup();
        INDArray paddedLabels = labels.dup();
        for (int n = 0; n < mask.size(0); n++) {
            for (int t = 0; t < mask.size(1); t++) {
                if (mask.getDouble(n, t) == 0) {
                    paddedFeatures.putScalar(new int[] {n, 0, t}, Double.NaN);
                    paddedLabels.putScalar(new int[] {n, 0, t}, Double.NaN);
                    paddedLabels.putScalar(new int[] {n, 1, t}, 7.0);
                }
            }
        }
        assertEquals(after, net.score(new DataSet(paddedFeatures, paddedLabels, mask, mask)), 1e-6 * after);
    }

    /** -sum 0.25 y_c (1 - p_c)^2 log p_c over classes and unmasked steps, from the network's own output. */
    private static double summedFocalOverRealSteps(MultiLayerNetwork net, INDArray features, INDArray labels,
            INDArray mask) {
        INDArray p = net.output(features, false, mask, mask);
        double sum = 0;
        for (int n = 0; n < mask.size(0); n++) {
            for (int t = 0; t < mask.size(1); t++) {
                if (mask.getDouble(n, t) == 0) {
                    continue;
                }
                for (int c = 0; c < 2; c++) {
                    double pc = p.getDouble(n, c, t);
                    sum -= 0.25 * labels.getDouble(n, c, t) * (1 - pc) * (1 - pc) * Math.log(pc);
                }
            }
        }
        return sum;
    }
}
