package io.github.losskit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.docs.MultiTaskExampleData.Noise;
import io.github.losskit.samediff.layers.TaskLoss;
import io.github.losskit.samediff.layers.UncertaintyWeightedOutputLayer;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The classic multi-task head of docs/multitask.md: shared layers feeding a classification, a box regression and a
 * predicted distribution, weighted by learned uncertainty, trained on data whose tasks have clearly different noise
 * (few wrong classes, distributions of moderate noise, very noisy boxes). The learned sigma^2 come out in the order
 * of the noise, each close to its task's loss. 80 training steps: under 30 s on two busy cores.
 */
class MultiTaskExampleTest {

    static final Noise NOISE = new Noise(0.02, 2.0, 2.5);

    @Test
    void theLearnedVariancesFollowTheNoise() {
        DataSet data = MultiTaskExampleData.generate(480, NOISE, 1);

        // region: head
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(7)
                .updater(new Adam(0.05))
                .list()
                .layer(new DenseLayer.Builder().nIn(8).nOut(16).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(16).nOut(16).activation(Activation.TANH).build())
                .layer(new UncertaintyWeightedOutputLayer.Builder().nIn(16)
                        .task("class", TaskLoss.crossEntropy(), Activation.SOFTMAX, 0, 4)
                        .task("box", TaskLoss.smoothL1(), Activation.IDENTITY, 4, 8)
                        .task("distribution", TaskLoss.klDivergence(), Activation.SOFTMAX, 8, 11)
                        .build())
                .build());
        net.init();
        // endregion

        // region: train
        for (int epoch = 0; epoch < 10; epoch++) {
            for (DataSet batch : data.batchBy(60)) {
                net.fit(batch);
            }
        }
        Map<String, Double> variances = UncertaintyWeightedOutputLayer.variances(net.getOutputLayer());
        // sigma^2 = exp(s) per task: {class=0.20, box=4.6, distribution=0.46}
        INDArray predictions = net.output(data.getFeatures()); // probabilities, boxes, distributions
        // endregion

        String result = "learned sigma^2 " + variances;
        assertEquals(List.of("class", "box", "distribution"), List.copyOf(variances.keySet()));
        assertTrue(variances.get("class") < variances.get("distribution"), result);
        assertTrue(variances.get("distribution") < variances.get("box"), result);

        // sigma^2 estimates the loss each task is left with (the total is smallest at sigma^2 = L); after 80 steps
        // it trails the loss a little, so within a factor of 2
        Map<String, Double> losses = meanLosses(predictions.castTo(DataType.DOUBLE),
                data.getLabels().castTo(DataType.DOUBLE));
        for (String task : variances.keySet()) {
            double ratio = variances.get(task) / losses.get(task);
            assertTrue(ratio > 0.5 && ratio < 2, task + ": sigma^2 " + variances.get(task) + " vs mean loss "
                    + losses.get(task));
        }
    }

    /** Each task's loss per example, averaged, from the network's output: the formulas of docs/losses. */
    private static Map<String, Double> meanLosses(INDArray predictions, INDArray labels) {
        long n = labels.size(0);
        INDArray probabilities = columns(predictions, 0, 4);
        double crossEntropy = -columns(labels, 0, 4).mul(Transforms.log(probabilities, true)).sumNumber().doubleValue();
        INDArray residual = Transforms.abs(columns(predictions, 4, 8).sub(columns(labels, 4, 8)), false);
        INDArray quadratic = residual.mul(residual).muli(0.5);
        INDArray linear = residual.sub(0.5);
        double smoothL1 = quadratic.mul(residual.lt(1.0).castTo(DataType.DOUBLE))
                .addi(linear.mul(residual.gte(1.0).castTo(DataType.DOUBLE))).sumNumber().doubleValue();
        INDArray targets = columns(labels, 8, 11);
        double kl = targets.mul(Transforms.log(targets, true).sub(Transforms.log(columns(predictions, 8, 11), true)))
                .sumNumber().doubleValue();
        return Map.of("class", crossEntropy / n, "box", smoothL1 / n, "distribution", kl / n);
    }

    private static INDArray columns(INDArray array, int from, int to) {
        return array.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to)).dup();
    }
}
