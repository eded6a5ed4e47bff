package io.github.losskit.samediff.multitask;

import static io.github.losskit.testing.Messages.assertMessage;
import static io.github.losskit.testing.Approx.assertReferenceClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.samediff.SDLosses;
import io.github.losskit.samediff.UncertaintyWeighting;
import io.github.losskit.samediff.UncertaintyWeightingForm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.autodiff.validation.GradCheckUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code SDLosses.uncertaintyWeighted}: the formula against PyTorch, the graph it builds, and its checks. */
class UncertaintyWeightingTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static List<MultiTaskReference.Weighting> weightingCases() {
        return MultiTaskReference.weighting();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("weightingCases")
    void totalAndGradientsMatchPyTorch(MultiTaskReference.Weighting c) {
        SameDiff sd = SameDiff.create();
        int tasks = c.taskLosses().length;
        SDVariable[] losses = new SDVariable[tasks];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            losses[i] = sd.var("L" + i, Nd4j.scalar(c.taskLosses()[i]));
            names.add(losses[i].name());
        }
        UncertaintyWeighting config = UncertaintyWeighting.builder().forms(c.forms())
                .initialLogVariances(c.logVariances()).build();
        new SDLosses(sd).uncertaintyWeighted("total", config, losses);
        names.add(UncertaintyWeighting.logVariancesName("total"));
        OutAndGrad both = sd.calculateGradientsAndOutputs(Map.of(), List.of("total"), names);
        assertReferenceClose("total", Nd4j.scalar(c.total()), both.getOutputs().get("total").reshape(new long[0]));
        assertReferenceClose("d total / d s", Nd4j.createFromArray(c.gradLogVariances()),
                both.getGradients().get(UncertaintyWeighting.logVariancesName("total")));
        for (int i = 0; i < tasks; i++) {
            assertReferenceClose("d total / d L" + i, Nd4j.scalar(c.gradTaskLosses()[i]),
                    both.getGradients().get("L" + i).reshape(new long[0]));
        }
    }

    /** Task losses from LossKit builders on constant labels and trainable logits, as GradCheckUtil needs. */
    private static SDVariable[] taskLosses(SameDiff sd) {
        SDLosses losses = new SDLosses(sd);
        SDVariable classes = sd.constant("classLabels", Nd4j.createFromArray(new double[][] {{1, 0, 0}, {0, 0, 1}}));
        SDVariable classLogits = sd.var("classLogits", Nd4j.createFromArray(new double[][] {{0.5, -1, 2}, {1, 0.3,
                -0.2}}));
        SDVariable boxes = sd.constant("boxLabels", Nd4j.createFromArray(new double[][] {{0.5, 2}, {-1, 0.25}}));
        SDVariable boxPredictions = sd.var("boxPredictions", Nd4j.createFromArray(new double[][] {{0.1, 0.3}, {-2.5,
                0.4}}));
        return new SDVariable[] {
            losses.crossEntropy("classLoss", classes, classLogits, null, LossReduce.MEAN_BY_WEIGHT, 0.0),
            losses.smoothL1("boxLoss", boxes, boxPredictions, null, LossReduce.SUM, 1.0).div(2.0)};
    }

    @Test
    void gradCheckThroughTheTaskLossesAndS() {
        SameDiff sd = SameDiff.create();
        new SDLosses(sd).uncertaintyWeighted("total", UncertaintyWeighting.builder()
                .forms(UncertaintyWeightingForm.STANDARD, UncertaintyWeightingForm.HALVED)
                .initialLogVariances(0.3, -0.8).build(), taskLosses(sd));
        assertTrue(GradCheckUtil.checkGradients(sd, Map.of(), 1e-6, 1e-5, 1e-10, false, false));
    }

    @Test
    void theTotalReplacesTheLossesItIsComputedFrom() {
        SameDiff sd = SameDiff.create();
        SDVariable[] tasks = taskLosses(sd);
        SDVariable unrelated = sd.var("unrelated", Nd4j.scalar(2.0)).mul(3.0);
        unrelated.markAsLoss();
        assertTrue(sd.getLossVariables().containsAll(List.of("classLoss", "boxLoss")), "SDLosses marks its losses");
        SDVariable total = new SDLosses(sd).uncertaintyWeighted("total", tasks);
        assertEquals("total", total.name());
        // boxLoss is not a task loss itself (the task loss is boxLoss / 2) but the total is computed from it
        assertEquals(List.of(unrelated.name(), "total"), sd.getLossVariables());
        SDVariable s = sd.getVariable(UncertaintyWeighting.logVariancesName("total"));
        assertArrayEquals(new long[] {2}, s.getShape());
        assertArrayEquals(new double[] {0, 0}, UncertaintyWeighting.logVariances(sd, "total"));
        assertArrayEquals(new double[] {1, 1}, UncertaintyWeighting.variances(sd, "total"));
        // with s = 0 in the standard form, the total is the plain sum of the task losses
        Map<String, INDArray> out = sd.output(Map.of(), "total", tasks[0].name(), tasks[1].name());
        assertEquals(out.get(tasks[0].name()).getDouble(0) + out.get(tasks[1].name()).getDouble(0),
                out.get("total").getDouble(0), 1e-12);
    }

    @Test
    void aGeneratedNameStillFindsItsLogVariances() {
        SameDiff sd = SameDiff.create();
        SDVariable total = new SDLosses(sd).uncertaintyWeighted(null, UncertaintyWeighting.builder()
                .initialLogVariance(0.5).build(), taskLosses(sd));
        assertArrayEquals(new double[] {Math.exp(0.5), Math.exp(0.5)},
                UncertaintyWeighting.variances(sd, total.name()), 1e-15);
        assertEquals(List.of(total.name()), sd.getLossVariables());
    }

    /**
     * d total / d s = c (1 - exp(-s) L) vanishes at sigma^2 = exp(s) = L: trained on fixed task losses, the
     * learned variances become the losses themselves, whatever the form.
     */
    @Test
    void trainingSOnFixedLossesLearnsTheLossesAsVariances() {
        SameDiff sd = SameDiff.create();
        double[] levels = {0.05, 0.8, 3.0};
        SDVariable[] losses = new SDVariable[levels.length];
        for (int i = 0; i < levels.length; i++) {
            losses[i] = sd.constant("L" + i, Nd4j.scalar(levels[i]));
        }
        new SDLosses(sd).uncertaintyWeighted("total", UncertaintyWeighting.builder()
                .forms(UncertaintyWeightingForm.STANDARD, UncertaintyWeightingForm.HALVED,
                        UncertaintyWeightingForm.STANDARD).build(), losses);
        String s = UncertaintyWeighting.logVariancesName("total");
        for (int step = 0; step < 300; step++) {
            INDArray gradient = sd.calculateGradients(Map.of(), s).get(s);
            sd.getVariable(s).getArr().subi(gradient.muli(0.5));
        }
        assertArrayEquals(levels, UncertaintyWeighting.variances(sd, "total"), 1e-9);
    }

    @Test
    void configurationsAreCheckedAndCompared() {
        assertMessage(() -> UncertaintyWeighting.builder().initialLogVariance(Double.NaN).build(),
                "initialLogVariances[0] must be finite");
        assertMessage(() -> UncertaintyWeighting.builder().forms().build(), "one form");
        assertMessage(() -> UncertaintyWeighting.builder().forms(UncertaintyWeightingForm.HALVED, null).build(),
                "none null");
        assertMessage(() -> UncertaintyWeighting.builder().initialLogVariances().build(), "initial log-variance");
        assertEquals(UncertaintyWeighting.standard(), UncertaintyWeighting.builder()
                .form(UncertaintyWeightingForm.STANDARD).initialLogVariance(0).build());
        assertFalse(UncertaintyWeighting.standard().equals(UncertaintyWeighting.builder()
                .form(UncertaintyWeightingForm.HALVED).build()));
        assertArrayEquals(new double[] {0.5, 0.5}, UncertaintyWeighting.builder()
                .form(UncertaintyWeightingForm.HALVED).build().factors(2));
    }

    @Test
    void badTaskLossesAreRefused() {
        SameDiff sd = SameDiff.create();
        SDLosses losses = new SDLosses(sd);
        SDVariable scalar = sd.var("a", Nd4j.scalar(1.0));
        assertMessage(() -> losses.uncertaintyWeighted("t"), "at least one task loss");
        assertMessage(() -> losses.uncertaintyWeighted("t", scalar, null), "taskLosses[1] is null");
        assertMessage(() -> losses.uncertaintyWeighted("t", scalar, sd.var("v", Nd4j.ones(3))), "taskLosses[1]",
                "shape [3]", "must be a scalar");
        assertMessage(() -> losses.uncertaintyWeighted("t", scalar, sd.var("i", Nd4j.scalar(2).castTo(
                DataType.INT32))), "floating point");
        SameDiff other = SameDiff.create();
        assertMessage(() -> losses.uncertaintyWeighted("t", other.var("b", Nd4j.scalar(1.0))), "another SameDiff");
        assertMessage(() -> losses.uncertaintyWeighted("t", UncertaintyWeighting.builder().forms(
                UncertaintyWeightingForm.HALVED, UncertaintyWeightingForm.HALVED).build(), scalar,
                sd.var("c", Nd4j.scalar(1.0)), sd.var("d", Nd4j.scalar(1.0))), "2 form(s)", "3 task losses");
        assertMessage(() -> losses.uncertaintyWeighted("t", (UncertaintyWeighting) null, scalar), "config");
        assertMessage(() -> UncertaintyWeighting.variances(sd, "nothing"), "no uncertainty-weighted loss named"
                + " 'nothing'");
        SDVariable twoLogVariances = sd.var("s", Nd4j.zeros(2));
        assertMessage(() -> UncertaintyWeighting.total(twoLogVariances, new double[] {1, 1}, scalar),
                "1 task losses, 2 factors and log-variances of shape [2]");
    }

}
