package io.github.losskit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.core.divergence.TargetSpace;
import io.github.losskit.dl4j.LossCrossEntropy;
import io.github.losskit.dl4j.LossKLDivergence;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The snippet of docs/losses/LossKLDivergence.md. */
class KLDivergenceSnippetsTest {

    private static final double[][] TARGETS = {{0.2, 0.3, 0.5}, {0.0, 1.0, 0.0}, {0.7, 0.0, 0.3}};
    private static final double[][] LOGITS = {{1.5, -0.5, -1.0}, {0.2, 3.0, 0.0}, {-2.0, 0.5, 1.0}};

    @Test
    void softTargets() {
        // region: softTargets
        // targets are distributions, e.g. a teacher network's softmax in distillation
        OutputLayer output = new OutputLayer.Builder()
                .lossFunction(new LossKLDivergence())
                .activation(Activation.SOFTMAX)
                .nIn(64).nOut(3)
                .build();
        // endregion

        INDArray targets = Direct.doubles(TARGETS);
        INDArray logits = Direct.doubles(LOGITS);
        double[] expected = new double[TARGETS.length];
        for (int n = 0; n < TARGETS.length; n++) {
            double[] logP = Direct.logSoftmax(LOGITS[n]);
            for (int c = 0; c < 3; c++) {
                double y = TARGETS[n][c];
                // 0 log 0 = 0
                expected[n] += y == 0 ? 0 : y * (Math.log(y) - logP[c]);
            }
        }
        Direct.assertPerExample(expected,
                output.getLossFn().computeScoreArray(targets, logits, output.getActivationFn(), null), 1e-12);

        // the gradient is cross-entropy's: the two differ by the targets' entropy, a constant
        INDArray gradient = output.getLossFn().computeGradient(targets, logits, output.getActivationFn(), null);
        INDArray crossEntropyGradient = new LossCrossEntropy().computeGradient(targets, logits,
                output.getActivationFn(), null);
        assertTrue(crossEntropyGradient.equalsWithEps(gradient, 1e-14));

        // log-probability targets give the same loss, with -infinity for probability 0
        INDArray logTargets = Transforms.log(targets, true);
        INDArray fromLogs = new LossKLDivergence(TargetSpace.LOG_PROBABILITIES).computeScoreArray(logTargets,
                logits, output.getActivationFn(), null);
        Direct.assertPerExample(expected, fromLogs, 1e-12);
        assertEquals(Double.NEGATIVE_INFINITY, logTargets.getDouble(1, 0));
    }
}
