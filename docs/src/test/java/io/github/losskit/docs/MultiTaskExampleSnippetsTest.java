package io.github.losskit.docs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.losskit.dl4j.LossCrossEntropy;
import io.github.losskit.dl4j.LossMultiTask;
import io.github.losskit.dl4j.LossSmoothL1;
import io.github.losskit.samediff.SDLosses;
import io.github.losskit.samediff.UncertaintyWeighting;
import io.github.losskit.samediff.UncertaintyWeightingForm;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The smaller snippets of docs/multitask.md and docs/losses/LossMultiTask.md. */
class MultiTaskExampleSnippetsTest {

    /** Two examples: 4 class logits, then 4 box coordinates. */
    private static final double[][] PRE_OUTPUT = {{2.0, -1.0, 0.5, 0.0, 0.2, 0.4, 1.5, -0.3},
        {-0.5, 0.3, 1.0, 2.5, 1.0, -2.0, 0.0, 0.7}};
    private static final double[][] LABELS = {{1, 0, 0, 0, 0.0, 0.5, 1.0, 0.0}, {0, 0, 0, 1, 0.9, 0.0, 0.1, 0.6}};

    private static double smoothL1(double d) {
        return Math.abs(d) < 1 ? 0.5 * d * d : Math.abs(d) - 0.5;
    }

    @Test
    void staticWeights() {
        // region: staticWeights
        LossMultiTask loss = LossMultiTask.builder()
                .task("class", new LossCrossEntropy(), Activation.SOFTMAX, 0, 4, 1.0)
                .task("box", new LossSmoothL1(), Activation.IDENTITY, 4, 8, 5.0)
                .build();
        OutputLayer output = new OutputLayer.Builder()
                .lossFunction(loss)
                .activation(Activation.IDENTITY) // each task applies its own activation to its columns
                .nIn(16).nOut(loss.nOut())
                .build();
        // endregion

        double[] expected = new double[2];
        for (int n = 0; n < 2; n++) {
            double[] logP = Direct.logSoftmax(java.util.Arrays.copyOfRange(PRE_OUTPUT[n], 0, 4));
            for (int c = 0; c < 4; c++) {
                expected[n] -= LABELS[n][c] * logP[c];
            }
            for (int b = 4; b < 8; b++) {
                expected[n] += 5.0 * smoothL1(PRE_OUTPUT[n][b] - LABELS[n][b]);
            }
        }
        Direct.assertPerExample(expected, output.getLossFn().computeScoreArray(Direct.doubles(LABELS),
                Direct.doubles(PRE_OUTPUT), output.getActivationFn(), null), 1e-12);
        assertEquals(8, output.getNOut());

        INDArray networkOutput = Direct.doubles(PRE_OUTPUT);
        // region: predictions
        INDArray predictions = loss.predictions(networkOutput); // class probabilities, then the box as it is
        // endregion
        double[] probabilities = Direct.row(predictions, 0);
        double[] logP = Direct.logSoftmax(java.util.Arrays.copyOfRange(PRE_OUTPUT[0], 0, 4));
        for (int c = 0; c < 4; c++) {
            assertEquals(Math.exp(logP[c]), probabilities[c], 1e-12);
        }
        assertEquals(PRE_OUTPUT[0][6], probabilities[6], 0.0);
    }

    @Test
    void sameDiff() {
        SameDiff sd = SameDiff.create();
        SDVariable classLabels = sd.constant("classLabels", Direct.doubles(new double[][] {{1, 0, 0}, {0, 0, 1}}));
        SDVariable classLogits = sd.var("classLogits", Direct.doubles(new double[][] {{2, 0, -1}, {0.5, 0.5, 1}}));
        SDVariable boxLabels = sd.constant("boxLabels", Direct.doubles(new double[][] {{0, 1}, {2, -1}}));
        SDVariable boxes = sd.var("boxes", Direct.doubles(new double[][] {{0.5, 1}, {0, 0}}));
        // region: sameDiff
        SDLosses losses = new SDLosses(sd);
        SDVariable classLoss = losses.crossEntropy("classLoss", classLabels, classLogits, null,
                LossReduce.MEAN_BY_WEIGHT, 0.0);
        SDVariable boxLoss = losses.smoothL1("boxLoss", boxLabels, boxes, null, LossReduce.MEAN_BY_WEIGHT, 1.0);
        SDVariable total = losses.uncertaintyWeighted("total", UncertaintyWeighting.builder()
                .forms(UncertaintyWeightingForm.STANDARD, UncertaintyWeightingForm.HALVED)
                .build(), classLoss, boxLoss);
        // training minimises total; the s = log sigma^2 are the variable "total/logVariances"
        double[] variances = UncertaintyWeighting.variances(sd, "total");
        // endregion

        assertArrayEquals(new double[] {1, 1}, variances, 0.0);
        assertEquals(List.of("total"), sd.getLossVariables());
        Map<String, INDArray> out = sd.output(Map.of(), "total", "classLoss", "boxLoss");
        // with s = 0: exp(0) classLoss + 0 + (exp(0) boxLoss + 0) / 2
        assertEquals(out.get("classLoss").getDouble(0) + 0.5 * out.get("boxLoss").getDouble(0),
                total.eval().getDouble(0), 1e-12);
    }
}
