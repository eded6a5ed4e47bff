package io.github.losskit.docs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.dl4j.LossBinaryCrossEntropy;
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

/** The snippet of docs/losses/LossBinaryCrossEntropy.md. */
class BinaryCrossEntropySnippetsTest {

    @Test
    void multiLabelPosWeight() {
        DataSet data = ToyData.multiLabel(300, 8, 5, 11);
        INDArray trainFeatures = data.getFeatures();
        INDArray trainLabels = data.getLabels();

        // region: multiLabelPosWeight
        // PyTorch's rule for pos_weight: negatives / positives of each label in the training set
        INDArray positives = trainLabels.sum(0);
        INDArray negatives = positives.rsub(trainLabels.size(0));
        double[] posWeight = negatives.div(positives).toDoubleVector();

        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7)
                .updater(new Adam(0.01))
                .list()
                .layer(new DenseLayer.Builder().nIn(8).nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder()
                        .lossFunction(LossBinaryCrossEntropy.builder().posWeight(posWeight).build())
                        .activation(Activation.SIGMOID)
                        .nIn(32).nOut(5)
                        .build())
                .build();

        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        for (int epoch = 0; epoch < 60; epoch++) {
            net.fit(trainFeatures, trainLabels);
        }
        // endregion

        double[] expectedWeights = new double[5];
        for (int k = 0; k < 5; k++) {
            int count = 0;
            for (int n = 0; n < 300; n++) {
                count += trainLabels.getDouble(n, k) == 1 ? 1 : 0;
            }
            assertTrue(count > 0 && count < 150, "label " + k + " should be rare: " + count);
            expectedWeights[k] = (300.0 - count) / count;
        }
        LossBinaryCrossEntropy loss = (LossBinaryCrossEntropy) ((BaseOutputLayer) conf.getConf(1).getLayer())
                .getLossFn();
        assertArrayEquals(expectedWeights, loss.getPosWeight(), 1e-5);

        MultiLayerNetwork untrained = new MultiLayerNetwork(conf.clone());
        untrained.init();
        double before = untrained.score(data);
        double after = net.score(data);
        assertTrue(after < 0.7 * before, "training should lower the score: " + before + " -> " + after);

        // positives weigh more, so a trained network should find most of them
        INDArray predicted = net.output(trainFeatures).gt(0.5).castTo(trainLabels.dataType());
        double truePositives = predicted.mul(trainLabels).sumNumber().doubleValue();
        double recall = truePositives / trainLabels.sumNumber().doubleValue();
        assertTrue(recall > 0.7, "recall on the training set " + recall);
        assertEquals(5, net.output(trainFeatures).size(1));
    }
}
