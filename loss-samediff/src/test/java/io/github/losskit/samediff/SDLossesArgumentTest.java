package io.github.losskit.samediff;

import static io.github.losskit.testing.Approx.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.core.classification.BinaryCrossEntropy;
import io.github.losskit.core.classification.CrossEntropy;
import io.github.losskit.core.classification.Focal;
import io.github.losskit.samediff.LossCase.OutputKind;
import io.github.losskit.samediff.RandomInputs.Labels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
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

    /** "SDLosses.focal" for the case "focal(gamma 2, alpha 0.25)". */
    private static String builderName(LossCase c) {
        return "SDLosses." + c.description().substring(0, c.description().indexOf('('));
    }

    private static void assertMessage(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "message \"" + e.getMessage() + "\" lacks \"" + fragment + "\"");
        }
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
        String builder = builderName(c);
        assertMessage(() -> c.build(losses, "l", null, logits, null, LossReduce.SUM), builder, "labels must not be null");
        assertMessage(() -> c.build(losses, "l", labels, null, null, LossReduce.SUM), builder, "logits must not be null");
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
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void labelsOfAnotherShapeThanTheLogitsAreRejectedWithBothShapes(LossCase c) {
        SameDiff sd = SameDiff.create();
        SDLosses losses = new SDLosses(sd);
        int n = c.outputs();
        assertMessage(() -> c.build(losses, "l", constant(sd, 4, n - 1), sd.var("x", Nd4j.rand(DataType.DOUBLE, 4, n)),
                null, LossReduce.SUM), builderName(c), "labels shape [4, " + (n - 1) + "]", "logits shape [4, " + n + "]");
        assertMessage(() -> c.build(losses, "l", constant(sd, 3, n), constant(sd, 4, n), null, LossReduce.SUM),
                builderName(c), "labels shape [3, " + n + "]", "logits shape [4, " + n + "]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void placeholderShapesAreCheckedWhereKnown(LossCase c) {
        SameDiff sd = SameDiff.create();
        SDLosses losses = new SDLosses(sd);
        int n = c.outputs();
        SDVariable labels = sd.placeHolder("labels", DataType.DOUBLE, -1, n + 1);
        SDVariable logits = sd.placeHolder("logits", DataType.DOUBLE, -1, n);
        assertMessage(() -> c.build(losses, "l", labels, logits, null, LossReduce.SUM), builderName(c),
                "labels shape [-1, " + (n + 1) + "]", "logits shape [-1, " + n + "]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void logitsMustBe2d(LossCase c) {
        SameDiff sd = SameDiff.create();
        SDLosses losses = new SDLosses(sd);
        assertMessage(() -> c.build(losses, "l", constant(sd, 4), constant(sd, 4), null, LossReduce.SUM),
                builderName(c), "logits must be 2-D", "[4]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void weightsThatDoNotFitThePerElementOutputAreRejected(LossCase c) {
        SameDiff sd = SameDiff.create();
        SDLosses losses = new SDLosses(sd);
        SDVariable labels = constant(sd, 4, c.outputs());
        SDVariable logits = constant(sd, 4, c.outputs());
        if (c.kind() == OutputKind.SOFTMAX) {
            // a [minibatch, 1] column would broadcast against [minibatch] into [minibatch, minibatch]
            assertMessage(() -> c.build(losses, "l", labels, logits, constant(sd, 4, 1), LossReduce.SUM),
                    builderName(c), "weights shape [4, 1]", "[4]");
            assertMessage(() -> c.build(losses, "l", labels, logits, constant(sd, 3), LossReduce.SUM),
                    builderName(c), "weights shape [3]");
        } else {
            assertMessage(() -> c.build(losses, "l", labels, logits, constant(sd, 4), LossReduce.SUM),
                    builderName(c), "weights shape [4]", "[4, " + c.outputs() + "]");
            assertMessage(() -> c.build(losses, "l", labels, logits, constant(sd, 3, 1), LossReduce.SUM),
                    builderName(c), "weights shape [3, 1]");
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
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void placeholdersAndLabelsOfAnotherTypeGiveTheValuesOfConstants(LossCase c) {
        INDArray labels = RandomInputs.labels(61, c.kind(), Labels.HARD, 5, c.outputs());
        INDArray logits = RandomInputs.logits(62, 5, c.outputs(), 2.0);
        INDArray expected = LossGraph.evaluate(c, labels, logits, null, LossReduce.NONE).value();

        SameDiff sd = SameDiff.create();
        SDVariable labelsPlaceholder = sd.placeHolder("labels", DataType.INT32, -1, c.outputs());
        SDVariable logitsPlaceholder = sd.placeHolder("logits", DataType.DOUBLE, -1, c.outputs());
        c.build(new SDLosses(sd), "loss", labelsPlaceholder, logitsPlaceholder, null, LossReduce.NONE);
        INDArray actual = sd.output(Map.of("labels", labels.castTo(DataType.INT32), "logits", logits), "loss")
                .get("loss");
        assertClose(c + " with placeholders", expected, actual, 1e-15, 0);
    }

    @Test
    @SuppressWarnings("try") // the workspaces are entered for their effect on allocation
    void constantsSurviveAGraphBuiltInsideAWorkspace() {
        LossCase weighted = LossCase.all().stream()
                .filter(c -> c.description().startsWith("binaryCrossEntropy(posWeight and weights")).findFirst()
                .orElseThrow();
        INDArray labels = RandomInputs.labels(71, weighted.kind(), Labels.SOFT, 5, weighted.outputs());
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
