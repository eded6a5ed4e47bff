package io.github.losskit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.core.margin.MarginFunction;
import io.github.losskit.core.margin.MarginLabels;
import io.github.losskit.dl4j.LossBinaryCrossEntropy;
import io.github.losskit.dl4j.LossMargin;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The snippet of docs/losses/LossMargin.md. */
class MarginSnippetsTest {

    @Test
    void squaredHingeOnZeroOneLabels() {
        // region: squaredHingeOnZeroOneLabels
        OutputLayer output = new OutputLayer.Builder()
                .lossFunction(LossMargin.builder()
                        .function(MarginFunction.SQUARED_HINGE)
                        .labels(MarginLabels.ZERO_ONE)
                        .build())
                .activation(Activation.IDENTITY)
                .nIn(16).nOut(3)
                .build();
        // endregion

        double[][] labels = {{1, 0, 1}, {0, 0, 1}};
        double[][] scores = {{1.5, -0.5, 0.2}, {0.3, -2.0, -1.0}};
        double[] expected = new double[2];
        for (int n = 0; n < 2; n++) {
            for (int k = 0; k < 3; k++) {
                double y = 2 * labels[n][k] - 1;
                double slack = Math.max(0, 1 - y * scores[n][k]);
                expected[n] += slack * slack;
            }
        }
        INDArray perExample = output.getLossFn().computeScoreArray(Direct.doubles(labels), Direct.doubles(scores),
                output.getActivationFn(), null);
        Direct.assertPerExample(expected, perExample, 1e-12);

        double[][] plusMinusOne = {{1, -1, 1}, {-1, -1, 1}};
        LossMargin sameOnPlusMinusOne = LossMargin.builder().function(MarginFunction.SQUARED_HINGE).build();
        Direct.assertPerExample(expected, sameOnPlusMinusOne.computeScoreArray(Direct.doubles(plusMinusOne),
                Direct.doubles(scores), output.getActivationFn(), null), 1e-12);
    }

    @Test
    void everyFunctionFollowsItsFormula() {
        double[] margins = {-3.0, -0.5, 0.0, 0.5, 2.0};
        for (MarginFunction function : MarginFunction.values()) {
            LossMargin loss = new LossMargin(function);
            for (double z : margins) {
                double expected = switch (function) {
                    case HINGE -> Math.max(0, 1 - z);
                    case SQUARED_HINGE -> Math.pow(Math.max(0, 1 - z), 2);
                    case EXPONENTIAL -> Math.exp(-z);
                    case LOGISTIC -> Math.log1p(Math.exp(-z));
                };
                double actual = loss.computeScore(Direct.doubles(new double[][] {{1}}),
                        Direct.doubles(new double[][] {{z}}), Activation.IDENTITY.getActivationFunction(), null,
                        false);
                assertEquals(expected, actual, 1e-12, function + " at z = " + z);
            }
        }
    }

    @Test
    void logisticOnZeroOneLabelsIsBinaryCrossEntropyOfTheScoreAsLogit() {
        double[][] labels = {{1, 0, 1}, {0, 0, 1}};
        double[][] scores = {{1.5, -0.5, 0.2}, {30.0, -2.0, -40.0}};
        INDArray logistic = LossMargin.builder().function(MarginFunction.LOGISTIC).labels(MarginLabels.ZERO_ONE)
                .build().computeScoreArray(Direct.doubles(labels), Direct.doubles(scores),
                        Activation.IDENTITY.getActivationFunction(), null);
        INDArray bce = new LossBinaryCrossEntropy().computeScoreArray(Direct.doubles(labels), Direct.doubles(scores),
                Activation.SIGMOID.getActivationFunction(), null);
        Direct.assertPerExample(bce.toDoubleVector(), logistic, 1e-12);
    }

    @Test
    void exponentialOverflowsWhereExpOfMinusTheMarginIsNotRepresentable() {
        LossMargin exponential = new LossMargin(MarginFunction.EXPONENTIAL);
        double atMinus700 = exponential.computeScore(Direct.doubles(new double[][] {{1}}),
                Direct.doubles(new double[][] {{-700}}), Activation.IDENTITY.getActivationFunction(), null, false);
        assertEquals(Math.exp(700), atMinus700, 1e-9 * Math.exp(700));
        double atMinus800 = exponential.computeScore(Direct.doubles(new double[][] {{1}}),
                Direct.doubles(new double[][] {{-800}}), Activation.IDENTITY.getActivationFunction(), null, false);
        assertTrue(Double.isInfinite(atMinus800));
    }

    @Test
    void theLabelMessageQuotedOnThePageIsTheOneThrown() throws IOException {
        String message = assertThrows(IllegalArgumentException.class, () -> new LossMargin().computeScore(
                Direct.doubles(new double[][] {{0, 1}}), Direct.doubles(new double[][] {{0, 0}}),
                Activation.IDENTITY.getActivationFunction(), null, false)).getMessage();
        String page = Files.readString(DocsLocation.lossPagesDir().resolve("LossMargin.md"));
        assertTrue(page.contains(message), "docs/losses/LossMargin.md should quote: " + message);
    }
}
