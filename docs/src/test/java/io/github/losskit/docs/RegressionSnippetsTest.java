package io.github.losskit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.dl4j.LossHuber;
import io.github.losskit.dl4j.LossLogCosh;
import io.github.losskit.dl4j.LossSmoothL1;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The snippets of docs/losses/LossHuber.md, LossSmoothL1.md and LossLogCosh.md. */
class RegressionSnippetsTest {

    private static final double[][] LABELS = {{0.5, -1.0, 2.0}, {1.0, 0.0, 0.0}};
    private static final double[][] PREDICTIONS = {{1.5, -0.5, -1.0}, {0.2, 3.0, 0.05}};

    private static INDArray perExample(OutputLayer output) {
        return output.getLossFn().computeScoreArray(Direct.doubles(LABELS), Direct.doubles(PREDICTIONS),
                output.getActivationFn(), null);
    }

    private static double huber(double d, double delta) {
        return Math.abs(d) < delta ? 0.5 * d * d : delta * (Math.abs(d) - 0.5 * delta);
    }

    @Test
    void huber() {
        // region: huber
        OutputLayer output = new OutputLayer.Builder()
                .lossFunction(LossHuber.builder().delta(1.0).weights(1.0, 1.0, 0.5).build())
                .activation(Activation.IDENTITY)
                .nIn(16).nOut(3)
                .build();
        // endregion

        double[] weights = {1.0, 1.0, 0.5};
        double[] expected = new double[2];
        for (int n = 0; n < 2; n++) {
            for (int k = 0; k < 3; k++) {
                expected[n] += weights[k] * huber(PREDICTIONS[n][k] - LABELS[n][k], 1.0);
            }
        }
        Direct.assertPerExample(expected, perExample(output), 1e-12);
    }

    @Test
    void smoothL1() {
        // region: smoothL1
        OutputLayer output = new OutputLayer.Builder()
                .lossFunction(new LossSmoothL1(0.5))
                .activation(Activation.IDENTITY)
                .nIn(16).nOut(3)
                .build();
        // endregion

        double beta = 0.5;
        double[] expected = new double[2];
        for (int n = 0; n < 2; n++) {
            for (int k = 0; k < 3; k++) {
                double d = PREDICTIONS[n][k] - LABELS[n][k];
                expected[n] += Math.abs(d) < beta ? 0.5 * d * d / beta : Math.abs(d) - 0.5 * beta;
            }
        }
        Direct.assertPerExample(expected, perExample(output), 1e-12);

        // Huber with delta = beta is beta times smooth L1 with beta
        INDArray huber = new LossHuber(beta).computeScoreArray(Direct.doubles(LABELS), Direct.doubles(PREDICTIONS),
                output.getActivationFn(), null);
        Direct.assertPerExample(huber.div(beta).toDoubleVector(), perExample(output), 1e-12);
    }

    @Test
    void logCosh() {
        // region: logCosh
        OutputLayer output = new OutputLayer.Builder()
                .lossFunction(new LossLogCosh())
                .activation(Activation.IDENTITY)
                .nIn(16).nOut(3)
                .build();
        // endregion

        double[] expected = new double[2];
        for (int n = 0; n < 2; n++) {
            for (int k = 0; k < 3; k++) {
                expected[n] += Math.log(Math.cosh(PREDICTIONS[n][k] - LABELS[n][k]));
            }
        }
        Direct.assertPerExample(expected, perExample(output), 1e-12);
    }

    @Test
    void logCoshStaysFiniteWhereCoshOverflows() {
        IActivation identity = Activation.IDENTITY.getActivationFunction();
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray label = Nd4j.zeros(type, 1, 1);
            INDArray prediction = Nd4j.valueArrayOf(new long[] {1, 1}, 1000.0, type);
            double value = new LossLogCosh().computeScore(label, prediction, identity, null, false);
            assertEquals(1000.0 - Math.log(2), value, 1e-3, type.toString());
            assertEquals(1.0, new LossLogCosh().computeGradient(label, prediction, identity, null).getDouble(0),
                    1e-6, "tanh(d)");
        }
        assertTrue(Double.isInfinite(Math.cosh(1000.0)));
    }
}
