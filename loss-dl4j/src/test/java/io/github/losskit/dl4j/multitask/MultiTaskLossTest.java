package io.github.losskit.dl4j.multitask;

import static io.github.losskit.dl4j.multitask.MultiTaskData.BINS;
import static io.github.losskit.dl4j.multitask.MultiTaskData.BOX;
import static io.github.losskit.dl4j.multitask.MultiTaskData.CLASSES;
import static io.github.losskit.dl4j.multitask.MultiTaskData.COLUMNS;
import static io.github.losskit.dl4j.multitask.MultiTaskData.column;
import static io.github.losskit.testing.Approx.assertClose;
import static io.github.losskit.testing.Approx.assertReferenceClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.losskit.dl4j.LossCrossEntropy;
import io.github.losskit.dl4j.LossKLDivergence;
import io.github.losskit.dl4j.LossMultiTask;
import io.github.losskit.dl4j.LossSmoothL1;
import io.github.losskit.testing.FiniteDifferences;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/** The static multi-task loss: its value and gradient are the weighted tasks', slice by slice. */
class MultiTaskLossTest {

    private static final int ROWS = 6;
    private static final double TIGHT = 1e-12;
    private static final IActivation IDENTITY = new ActivationIdentity();

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static INDArray columns(INDArray array, int from, int to) {
        return array.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to)).dup();
    }

    @Test
    void scoreAndGradientAreTheWeightedTasksSliceBySlice() {
        INDArray labels = MultiTaskData.labels(ROWS, 1, DataType.DOUBLE);
        INDArray preOutput = MultiTaskData.preOutput(ROWS, 2, DataType.DOUBLE);
        LossMultiTask loss = MultiTaskData.head(1.0, 5.0, 0.25, 0.5);
        ILossFunction[] parts = {new LossCrossEntropy(), new LossSmoothL1(0.5), new LossKLDivergence()};
        IActivation[] activations = {new ActivationSoftmax(), IDENTITY, new ActivationSoftmax()};
        int[] bounds = {0, CLASSES, CLASSES + BOX, COLUMNS};
        double[] weights = {1.0, 5.0, 0.25};
        INDArray expectedPerExample = Nd4j.zeros(ROWS, 1);
        INDArray expectedGradient = Nd4j.zeros(ROWS, COLUMNS);
        for (int t = 0; t < 3; t++) {
            INDArray y = columns(labels, bounds[t], bounds[t + 1]);
            INDArray z = columns(preOutput, bounds[t], bounds[t + 1]);
            expectedPerExample.addi(parts[t].computeScoreArray(y, z, activations[t], null).mul(weights[t]));
            expectedGradient.get(NDArrayIndex.all(), NDArrayIndex.interval(bounds[t], bounds[t + 1]))
                    .assign(parts[t].computeGradient(y, z, activations[t], null).mul(weights[t]));
        }
        assertClose("per example", expectedPerExample, loss.computeScoreArray(labels, preOutput, IDENTITY, null),
                TIGHT, TIGHT);
        assertClose("gradient", expectedGradient, loss.computeGradient(labels, preOutput, IDENTITY, null), TIGHT,
                TIGHT);
        Pair<Double, INDArray> both = loss.computeGradientAndScore(labels, preOutput, IDENTITY, null, true);
        assertEquals(expectedPerExample.sumNumber().doubleValue() / ROWS, both.getFirst(), TIGHT);
        assertClose("gradient of computeGradientAndScore", expectedGradient, both.getSecond(), TIGHT, TIGHT);
    }

    static List<MultiTaskReference> references() {
        return MultiTaskReference.staticHeads();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("references")
    void matchesPyTorch(MultiTaskReference c) {
        LossMultiTask loss = MultiTaskData.head(c.weights()[0], c.weights()[1], c.weights()[2], c.beta());
        assertReferenceClose(c.name() + " per example", c.perExampleColumn(),
                loss.computeScoreArray(c.labelsArray(), c.logitsArray(), IDENTITY, null));
        assertReferenceClose(c.name() + " gradient", c.gradientArray(),
                loss.computeGradient(c.labelsArray(), c.logitsArray(), IDENTITY, null));
    }

    @Test
    void dl4jBuiltInLossesAreTasksToo() {
        LossMultiTask loss = LossMultiTask.builder()
                .task("class", new LossMCXENT(), Activation.SOFTMAX, 0, 3, 2.0)
                .task("value", new LossMSE(), Activation.IDENTITY, 3, 5, 0.5)
                .build();
        INDArray labels = Nd4j.hstack(Nd4j.createFromArray(new double[][] {{1, 0, 0}, {0, 0, 1}, {0, 1, 0}}),
                Nd4j.createFromArray(new double[][] {{0.5, -1}, {2, 0}, {1, 1}}));
        INDArray preOutput = MultiTaskData.preOutput(3, 3, DataType.DOUBLE).get(NDArrayIndex.all(),
                NDArrayIndex.interval(0, 5)).dup();
        INDArray mask = column(1, 0, 1);
        INDArray expected = new LossMCXENT().computeScoreArray(columns(labels, 0, 3), columns(preOutput, 0, 3),
                new ActivationSoftmax(), mask).mul(2.0).addi(new LossMSE().computeScoreArray(columns(labels, 3, 5),
                        columns(preOutput, 3, 5), IDENTITY, mask).mul(0.5));
        assertClose("per example", expected, loss.computeScoreArray(labels, preOutput, IDENTITY, mask), TIGHT,
                TIGHT);
        INDArray numeric = FiniteDifferences.gradient(
                x -> loss.computeScore(labels, x, IDENTITY, mask, false), preOutput, 1e-6);
        assertClose("gradient vs finite differences", numeric, loss.computeGradient(labels, preOutput, IDENTITY,
                mask), 1e-6, 1e-8);
    }

    @Test
    void gradientMatchesFiniteDifferencesWithEveryKindOfMask() {
        INDArray labels = MultiTaskData.labels(ROWS, 4, DataType.DOUBLE);
        INDArray preOutput = MultiTaskData.preOutput(ROWS, 5, DataType.DOUBLE);
        LossMultiTask loss = MultiTaskData.head();
        for (INDArray mask : new INDArray[] {null, column(1, 0, 1, 0.5, 1, 1), taskMask()}) {
            INDArray numeric = FiniteDifferences.gradient(x -> loss.computeScore(labels, x, IDENTITY, mask, false),
                    preOutput, 1e-6);
            assertClose("gradient vs finite differences", numeric,
                    loss.computeGradient(labels, preOutput, IDENTITY, mask), 1e-6, 1e-8);
        }
    }

    /** Example 1 has no box, example 3 no class and no distribution: a per-output mask, constant per task. */
    private static INDArray taskMask() {
        INDArray mask = Nd4j.ones(ROWS, COLUMNS);
        mask.get(NDArrayIndex.point(1), NDArrayIndex.interval(CLASSES, CLASSES + BOX)).assign(0);
        mask.get(NDArrayIndex.point(3), NDArrayIndex.interval(0, CLASSES)).assign(0);
        mask.get(NDArrayIndex.point(3), NDArrayIndex.interval(CLASSES + BOX, COLUMNS)).assign(0);
        return mask;
    }

    @Test
    void aPerOutputMaskCanDropOneTaskOfAnExample() {
        INDArray labels = MultiTaskData.labels(ROWS, 6, DataType.DOUBLE);
        INDArray preOutput = MultiTaskData.preOutput(ROWS, 7, DataType.DOUBLE);
        LossMultiTask loss = MultiTaskData.head();
        INDArray masked = loss.computeScoreArray(labels, preOutput, IDENTITY, taskMask());
        INDArray full = loss.computeScoreArray(labels, preOutput, IDENTITY, null);
        LossMultiTask boxOnly = LossMultiTask.builder()
                .task("box", new LossSmoothL1(), Activation.IDENTITY, 0, BOX, 5.0).build();
        INDArray boxScores = boxOnly.computeScoreArray(columns(labels, CLASSES, CLASSES + BOX),
                columns(preOutput, CLASSES, CLASSES + BOX), IDENTITY, null);
        assertEquals(full.getDouble(1) - boxScores.getDouble(1), masked.getDouble(1), TIGHT, "example 1 without box");
        assertEquals(boxScores.getDouble(3), masked.getDouble(3), TIGHT, "example 3: only its box");
        assertEquals(full.getDouble(0), masked.getDouble(0), TIGHT, "example 0 unmasked");
        INDArray gradient = loss.computeGradient(labels, preOutput, IDENTITY, taskMask());
        assertEquals(0.0, gradient.get(NDArrayIndex.point(1), NDArrayIndex.interval(CLASSES, CLASSES + BOX))
                .norm1Number().doubleValue());
        assertEquals(0.0, gradient.get(NDArrayIndex.point(3), NDArrayIndex.interval(0, CLASSES)).norm1Number()
                .doubleValue());
    }

    @Test
    void nanInAMaskedTaskHasNoEffect() {
        INDArray labels = MultiTaskData.labels(ROWS, 8, DataType.DOUBLE);
        INDArray preOutput = MultiTaskData.preOutput(ROWS, 9, DataType.DOUBLE);
        INDArray mask = taskMask();
        INDArray poisonedLabels = labels.dup();
        INDArray poisonedPreOutput = preOutput.dup();
        poisonedLabels.get(NDArrayIndex.point(1), NDArrayIndex.interval(CLASSES, CLASSES + BOX)).assign(Double.NaN);
        poisonedPreOutput.get(NDArrayIndex.point(3), NDArrayIndex.interval(0, CLASSES)).assign(Double.NaN);
        LossMultiTask loss = MultiTaskData.head();
        assertClose("per example", loss.computeScoreArray(labels, preOutput, IDENTITY, mask),
                loss.computeScoreArray(poisonedLabels, poisonedPreOutput, IDENTITY, mask), TIGHT, TIGHT);
        assertClose("gradient", loss.computeGradient(labels, preOutput, IDENTITY, mask),
                loss.computeGradient(poisonedLabels, poisonedPreOutput, IDENTITY, mask), TIGHT, TIGHT);
    }

    @Test
    void theOrderOfTheTasksDoesNotMatter() {
        LossMultiTask reordered = LossMultiTask.builder()
                .task("dist", new LossKLDivergence(), Activation.SOFTMAX, CLASSES + BOX, COLUMNS, 0.25)
                .task("class", new LossCrossEntropy(), Activation.SOFTMAX, 0, CLASSES, 1.0)
                .task("box", new LossSmoothL1(), Activation.IDENTITY, CLASSES, CLASSES + BOX, 5.0)
                .build();
        INDArray labels = MultiTaskData.labels(ROWS, 10, DataType.DOUBLE);
        INDArray preOutput = MultiTaskData.preOutput(ROWS, 11, DataType.DOUBLE);
        assertClose("per example", MultiTaskData.head().computeScoreArray(labels, preOutput, IDENTITY, null),
                reordered.computeScoreArray(labels, preOutput, IDENTITY, null), TIGHT, TIGHT);
        assertClose("gradient", MultiTaskData.head().computeGradient(labels, preOutput, IDENTITY, null),
                reordered.computeGradient(labels, preOutput, IDENTITY, null), TIGHT, TIGHT);
        assertNotEquals(MultiTaskData.head(), reordered, "equality follows the order the tasks were given in");
    }

    @Test
    void floatAgreesWithDoubleAndInputsAreNotModified() {
        INDArray labels = MultiTaskData.labels(ROWS, 12, DataType.DOUBLE);
        INDArray preOutput = MultiTaskData.preOutput(ROWS, 13, DataType.DOUBLE);
        INDArray mask = taskMask();
        INDArray labelsCopy = labels.dup();
        INDArray preOutputCopy = preOutput.dup();
        INDArray maskCopy = mask.dup();
        LossMultiTask loss = MultiTaskData.head();
        Pair<Double, INDArray> d = loss.computeGradientAndScore(labels, preOutput, IDENTITY, mask, false);
        Pair<Double, INDArray> f = loss.computeGradientAndScore(labels.castTo(DataType.FLOAT),
                preOutput.castTo(DataType.FLOAT), IDENTITY, mask.castTo(DataType.FLOAT), false);
        assertEquals(DataType.FLOAT, f.getSecond().dataType());
        assertEquals(d.getFirst(), f.getFirst(), 1e-5 * Math.abs(d.getFirst()));
        assertClose("gradient", d.getSecond(), f.getSecond().castTo(DataType.DOUBLE), 1e-4, 1e-6);
        assertEquals(labelsCopy, labels);
        assertEquals(preOutputCopy, preOutput);
        assertEquals(maskCopy, mask);
    }

    @Test
    void predictionsApplyEachTasksActivationToItsColumns() {
        INDArray preOutput = MultiTaskData.preOutput(ROWS, 14, DataType.DOUBLE);
        INDArray predictions = MultiTaskData.head().predictions(preOutput);
        assertClose("class probabilities", new ActivationSoftmax().getActivation(columns(preOutput, 0, CLASSES),
                false), columns(predictions, 0, CLASSES), TIGHT, TIGHT);
        assertClose("box", columns(preOutput, CLASSES, CLASSES + BOX), columns(predictions, CLASSES, CLASSES + BOX),
                0, 0);
        assertClose("distribution", new ActivationSoftmax().getActivation(columns(preOutput, CLASSES + BOX,
                COLUMNS), false), columns(predictions, CLASSES + BOX, COLUMNS), TIGHT, TIGHT);
        assertEquals(MultiTaskData.preOutput(ROWS, 14, DataType.DOUBLE), preOutput);
    }

    @Test
    void nOutIsTheNumberOfColumnsTheTasksCover() {
        assertEquals(COLUMNS, MultiTaskData.head().nOut());
        assertEquals(BINS, COLUMNS - CLASSES - BOX);
    }
}
