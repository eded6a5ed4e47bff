package io.github.losskit.samediff;

import static io.github.losskit.testing.Messages.assertMessage;
import static io.github.losskit.testing.Approx.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.losskit.core.classification.BinaryCrossEntropy;
import io.github.losskit.core.classification.CrossEntropy;
import io.github.losskit.core.classification.Focal;
import io.github.losskit.core.divergence.KLDivergence;
import io.github.losskit.core.divergence.TargetSpace;
import io.github.losskit.core.margin.MarginFunction;
import io.github.losskit.core.margin.MarginLabels;
import io.github.losskit.core.margin.MarginLoss;
import io.github.losskit.core.regression.Huber;
import io.github.losskit.core.regression.LogCosh;
import io.github.losskit.core.regression.SmoothL1;
import io.github.losskit.samediff.LossCase.LabelDomain;
import io.github.losskit.samediff.RandomInputs.Labels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Argument checks at graph-build time, and inputs other than constants of the logits' type. */
class SDLossesArgumentTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static List<LossCase> cases() {
        return LossCase.all();
    }

    private static SDVariable constant(SameDiff sd, long... shape) {
        return sd.constant(Nd4j.rand(DataType.DOUBLE, shape));
    }

    @Test
    void aNullSameDiffIsRejected() {
        assertMessage(() -> new SDLosses(null), "SDLosses", "sd must not be null");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void nullLabelsLogitsAndReductionAreRejectedByName(LossCase c) {
        SameDiff sd = SameDiff.create();
        SDLosses losses = new SDLosses(sd);
        SDVariable labels = constant(sd, 4, c.outputs());
        SDVariable logits = sd.var("x", Nd4j.rand(DataType.DOUBLE, 4, c.outputs()));
        String builder = c.builderName();
        assertMessage(() -> c.build(losses, "l", null, logits, null, LossReduce.SUM), builder, "labels must not be null");
        assertMessage(() -> c.build(losses, "l", labels, null, null, LossReduce.SUM), builder,
                c.kind().inputName + " must not be null");
        assertMessage(() -> c.build(losses, "l", labels, logits, null, null), builder, "reduce must not be null");
    }

    @Test
    void nullConfigurationsAreRejectedByName() {
        SameDiff sd = SameDiff.create();
        SDLosses l = new SDLosses(sd);
        SDVariable y = constant(sd, 4, 3);
        SDVariable x = constant(sd, 4, 3);
        assertMessage(() -> l.focal("l", y, x, null, LossReduce.SUM, (Focal) null), "SDLosses.focal", "config");
        assertMessage(() -> l.binaryFocal("l", y, x, null, LossReduce.SUM, (Focal) null), "SDLosses.binaryFocal",
                "config");
        assertMessage(() -> l.crossEntropy("l", y, x, null, LossReduce.SUM, (CrossEntropy) null),
                "SDLosses.crossEntropy", "config");
        assertMessage(() -> l.binaryCrossEntropy("l", y, x, null, LossReduce.SUM, (BinaryCrossEntropy) null),
                "SDLosses.binaryCrossEntropy", "config");
        assertMessage(() -> l.huber("l", y, x, null, LossReduce.SUM, (Huber) null), "SDLosses.huber", "config");
        assertMessage(() -> l.smoothL1("l", y, x, null, LossReduce.SUM, (SmoothL1) null), "SDLosses.smoothL1",
                "config");
        assertMessage(() -> l.logCosh("l", y, x, null, LossReduce.SUM, null), "SDLosses.logCosh", "config");
        assertMessage(() -> l.margin("l", y, x, null, LossReduce.SUM, (MarginLoss) null), "SDLosses.margin",
                "config");
        assertMessage(() -> l.margin("l", y, x, null, LossReduce.SUM, (MarginFunction) null), "SDLosses.margin",
                "function must not be null");
        assertMessage(() -> l.klDivergence("l", y, x, null, LossReduce.SUM, (KLDivergence) null),
                "SDLosses.klDivergence", "config");
        assertMessage(() -> l.klDivergence("l", y, x, null, LossReduce.SUM, (TargetSpace) null),
                "SDLosses.klDivergence", "targetSpace must not be null");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void labelsOfAnotherShapeThanTheLogitsAreRejectedWithBothShapes(LossCase c) {
        SameDiff sd = SameDiff.create();
        SDLosses losses = new SDLosses(sd);
        int n = c.outputs();
        String input = c.kind().inputName;
        assertMessage(() -> c.build(losses, "l", constant(sd, 4, n - 1), sd.var("x", Nd4j.rand(DataType.DOUBLE, 4, n)),
                null, LossReduce.SUM), c.builderName(), "labels shape [4, " + (n - 1) + "]",
                input + " shape [4, " + n + "]");
        assertMessage(() -> c.build(losses, "l", constant(sd, 3, n), constant(sd, 4, n), null, LossReduce.SUM),
                c.builderName(), "labels shape [3, " + n + "]", input + " shape [4, " + n + "]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void placeholderShapesAreCheckedWhereKnown(LossCase c) {
        SameDiff sd = SameDiff.create();
        SDLosses losses = new SDLosses(sd);
        int n = c.outputs();
        SDVariable labels = sd.placeHolder("labels", DataType.DOUBLE, -1, n + 1);
        SDVariable logits = sd.placeHolder("logits", DataType.DOUBLE, -1, n);
        assertMessage(() -> c.build(losses, "l", labels, logits, null, LossReduce.SUM), c.builderName(),
                "labels shape [-1, " + (n + 1) + "]", c.kind().inputName + " shape [-1, " + n + "]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void logitsMustBe2d(LossCase c) {
        SameDiff sd = SameDiff.create();
        SDLosses losses = new SDLosses(sd);
        assertMessage(() -> c.build(losses, "l", constant(sd, 4), constant(sd, 4), null, LossReduce.SUM),
                c.builderName(), c.kind().inputName + " must be 2-D", "[4]");
        assertMessage(() -> c.build(losses, "l", constant(sd, 4, c.outputs()), sd.constant(Nd4j.ones(DataType.INT32, 4,
                c.outputs())), null, LossReduce.SUM), c.builderName(), c.kind().inputName + " must be floating point",
                "INT");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void weightsThatDoNotFitThePerElementOutputAreRejected(LossCase c) {
        SameDiff sd = SameDiff.create();
        SDLosses losses = new SDLosses(sd);
        SDVariable labels = constant(sd, 4, c.outputs());
        SDVariable logits = constant(sd, 4, c.outputs());
        if (c.kind().perExample) {
            // a [minibatch, 1] column would broadcast against [minibatch] into [minibatch, minibatch]
            assertMessage(() -> c.build(losses, "l", labels, logits, constant(sd, 4, 1), LossReduce.SUM),
                    c.builderName(), "weights shape [4, 1]", "[4]");
            assertMessage(() -> c.build(losses, "l", labels, logits, constant(sd, 3), LossReduce.SUM),
                    c.builderName(), "weights shape [3]");
        } else {
            assertMessage(() -> c.build(losses, "l", labels, logits, constant(sd, 4), LossReduce.SUM),
                    c.builderName(), "weights shape [4]", "[4, " + c.outputs() + "]");
            assertMessage(() -> c.build(losses, "l", labels, logits, constant(sd, 3, 1), LossReduce.SUM),
                    c.builderName(), "weights shape [3, 1]");
        }
    }

    @Test
    void perOutputParametersMustHaveOneValuePerOutput() {
        SameDiff sd = SameDiff.create();
        SDLosses l = new SDLosses(sd);
        SDVariable y = constant(sd, 4, 5);
        SDVariable x = constant(sd, 4, 5);
        double[] three = {0.2, 0.3, 0.4};
        assertMessage(() -> l.focal("l", y, x, null, LossReduce.SUM, new Focal(2, three)), "SDLosses.focal",
                "config.alpha has 3 values", "5 outputs");
        assertMessage(() -> l.binaryFocal("l", y, x, null, LossReduce.SUM, new Focal(2, three)),
                "SDLosses.binaryFocal", "config.alpha has 3 values", "5 outputs");
        assertMessage(() -> l.crossEntropy("l", y, x, null, LossReduce.SUM, new CrossEntropy(0, three)),
                "SDLosses.crossEntropy", "config.classWeights has 3 values", "5 outputs");
        assertMessage(() -> l.binaryCrossEntropy("l", y, x, null, LossReduce.SUM,
                new BinaryCrossEntropy(three, null, 0)), "SDLosses.binaryCrossEntropy",
                "config.positiveWeight has 3 values", "5 outputs");
        assertMessage(() -> l.binaryCrossEntropy("l", y, x, null, LossReduce.SUM,
                new BinaryCrossEntropy(null, three, 0)), "SDLosses.binaryCrossEntropy",
                "config.outputWeights has 3 values", "5 outputs");
        assertMessage(() -> l.huber("l", y, x, null, LossReduce.SUM, new Huber(1, three)), "SDLosses.huber",
                "config.outputWeights has 3 values", "predictions have 5 outputs");
        assertMessage(() -> l.smoothL1("l", y, x, null, LossReduce.SUM, new SmoothL1(1, three)),
                "SDLosses.smoothL1", "config.outputWeights has 3 values", "5 outputs");
        assertMessage(() -> l.logCosh("l", y, x, null, LossReduce.SUM, new LogCosh(three)), "SDLosses.logCosh",
                "config.outputWeights has 3 values", "5 outputs");
    }

    @Test
    void invalidParametersAreRejected() {
        SameDiff sd = SameDiff.create();
        SDLosses l = new SDLosses(sd);
        SDVariable y = constant(sd, 4, 5);
        SDVariable x = constant(sd, 4, 5);
        assertMessage(() -> l.binaryFocal("l", y, x, null, LossReduce.SUM, 2, 1.5), "SDLosses.binaryFocal",
                "alpha must lie in [0, 1]", "1.5");
        assertMessage(() -> l.focal("l", y, x, null, LossReduce.SUM, -1, 0.25), "gamma");
        assertMessage(() -> l.crossEntropy("l", y, x, null, LossReduce.SUM, 1.0), "labelSmoothing");
        assertMessage(() -> l.focal("l", constant(sd, 4, 1), constant(sd, 4, 1), null, LossReduce.SUM, 2, 0.25),
                "SDLosses.focal", "softmax over 1 class");
        assertMessage(() -> l.crossEntropy("l", y, sd.constant(Nd4j.ones(DataType.INT32, 4, 5)), null,
                LossReduce.SUM, 0.0), "SDLosses.crossEntropy", "logits must be floating point", "INT");
        for (double delta : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertMessage(() -> l.huber("l", y, x, null, LossReduce.SUM, delta), "SDLosses.huber", "delta",
                    String.valueOf(delta));
            assertMessage(() -> l.smoothL1("l", y, x, null, LossReduce.SUM, delta), "SDLosses.smoothL1", "beta",
                    String.valueOf(delta));
        }
        assertMessage(() -> l.klDivergence("l", constant(sd, 4, 1), constant(sd, 4, 1), null, LossReduce.SUM,
                TargetSpace.PROBABILITIES), "SDLosses.klDivergence", "softmax over 1 class", "[4, 1]");
    }

    /** Labels held as constants are checked at build time with the core's checks; the messages name the builder. */
    @Test
    void constantLabelsOutsideTheLossDomainAreRejected() {
        SameDiff sd = SameDiff.create();
        SDLosses l = new SDLosses(sd);
        SDVariable x = constant(sd, 2, 3);
        SDVariable zeroOne = sd.constant(Nd4j.createFromArray(new double[][] {{0, 1, 1}, {1, 0, 1}}));
        SDVariable signs = sd.constant(Nd4j.createFromArray(new double[][] {{-1, 1, 1}, {1, -1, 1}}));
        SDVariable half = sd.constant(Nd4j.createFromArray(new double[][] {{-1, 1, 0.5}, {1, -1, 1}}));
        SDVariable distributions = sd.constant(Nd4j.createFromArray(new double[][] {{0.2, 0.3, 0.5}, {0, 0, 1}}));
        assertMessage(() -> l.margin("l", zeroOne, x, null, LossReduce.SUM, MarginFunction.HINGE), "SDLosses.margin",
                "labels must be -1 or +1", "[2, 3]", "MarginLabels.ZERO_ONE");
        assertMessage(() -> l.margin("l", half, x, null, LossReduce.SUM, MarginFunction.LOGISTIC), "SDLosses.margin",
                "labels must be -1 or +1", "0.5");
        assertMessage(() -> l.margin("l", signs, x, null, LossReduce.SUM,
                new MarginLoss(MarginFunction.HINGE, MarginLabels.ZERO_ONE)), "SDLosses.margin", "labels must", "-1");
        assertMessage(() -> l.klDivergence("l", signs, x, null, LossReduce.SUM, TargetSpace.PROBABILITIES),
                "SDLosses.klDivergence", "labels must lie in [0.0, 1.0]", "-1");
        assertMessage(() -> l.klDivergence("l", distributions, x, null, LossReduce.SUM,
                TargetSpace.LOG_PROBABILITIES), "SDLosses.klDivergence", "log-probability labels must be <= 0");
        SDVariable nan = sd.constant(Nd4j.createFromArray(new double[][] {{0, Double.NaN, 1}, {1, 0, 1}}));
        assertMessage(() -> l.huber("l", nan, x, null, LossReduce.SUM, 1.0), "SDLosses.huber", "labels must be finite");
        // valid labels of another type are checked in the input's type
        SDVariable intSigns = sd.constant(Nd4j.createFromArray(new int[][] {{-1, 1, 1}, {1, -1, 1}}));
        l.margin("ok", intSigns, x, null, LossReduce.SUM, MarginFunction.HINGE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void placeholdersAndLabelsOfAnotherTypeGiveTheValuesOfConstants(LossCase c) {
        // integer labels where the loss has discrete labels; real-valued and log-probability labels as float
        Labels kind = c.labelDomain().closest(Labels.HARD);
        boolean integral = kind == Labels.HARD && c.labelDomain() != LabelDomain.LOG_DISTRIBUTION;
        DataType labelType = integral ? DataType.INT32 : DataType.FLOAT;
        INDArray labels = RandomInputs.labels(61, c, kind, 5).castTo(labelType);
        INDArray logits = RandomInputs.logits(62, 5, c.outputs(), 2.0);
        INDArray expected = LossGraph.evaluate(c, labels.castTo(DataType.DOUBLE), logits, null, LossReduce.NONE)
                .value();

        SameDiff sd = SameDiff.create();
        SDVariable labelsPlaceholder = sd.placeHolder("labels", labelType, -1, c.outputs());
        SDVariable logitsPlaceholder = sd.placeHolder("logits", DataType.DOUBLE, -1, c.outputs());
        c.build(new SDLosses(sd), "loss", labelsPlaceholder, logitsPlaceholder, null, LossReduce.NONE);
        INDArray actual = sd.output(Map.of("labels", labels, "logits", logits), "loss").get("loss");
        assertClose(c + " with placeholders", expected, actual, 1e-15, 0);
    }

    @Test
    @SuppressWarnings("try") // the workspaces are entered for their effect on allocation
    void constantsSurviveAGraphBuiltInsideAWorkspace() {
        LossCase weighted = LossCase.all().stream()
                .filter(c -> c.description().startsWith("binaryCrossEntropy(posWeight and weights")).findFirst()
                .orElseThrow();
        INDArray labels = RandomInputs.labels(71, weighted, Labels.SOFT, 5);
        INDArray logits = RandomInputs.logits(72, 5, weighted.outputs(), 2.0);
        INDArray expected = LossGraph.evaluate(weighted, labels, logits, null, LossReduce.SUM).value();

        WorkspaceConfiguration config = WorkspaceConfiguration.builder().initialSize(1 << 20).build();
        SameDiff sd = SameDiff.create();
        SDVariable labelsConstant = sd.constant(labels);
        SDVariable logitsConstant = sd.constant(logits);
        // only the builder runs inside the workspace: the constants it makes itself must not live there
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(config, "SDLossesTest")) {
            weighted.build(new SDLosses(sd), "loss", labelsConstant, logitsConstant, null, LossReduce.SUM);
        }
        // reuse the workspace's memory for something else, as the next iteration of a training loop would
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(config, "SDLossesTest")) {
            Nd4j.valueArrayOf(new long[] {1 << 15}, Double.NaN);
            assertEquals(expected.getDouble(0), sd.output(Map.of(), "loss").get("loss").getDouble(0), 1e-12);
        }
    }
}
