package io.github.losskit.dl4j.multitask;

import static io.github.losskit.testing.Messages.assertMessage;
import static io.github.losskit.dl4j.multitask.MultiTaskData.COLUMNS;

import io.github.losskit.dl4j.LossBinaryCrossEntropy;
import io.github.losskit.dl4j.LossCrossEntropy;
import io.github.losskit.dl4j.LossMultiTask;
import io.github.losskit.dl4j.LossSmoothL1;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Bad configurations are refused when built, bad arrays when evaluated, each with a message that says why. */
class MultiTaskBadInputTest {

    private static final IActivation IDENTITY = new ActivationIdentity();

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static LossMultiTask.Builder classAndBox(int boxFrom, int boxTo) {
        return LossMultiTask.builder()
                .task("class", new LossCrossEntropy(), Activation.SOFTMAX, 0, 3, 1.0)
                .task("box", new LossSmoothL1(), Activation.IDENTITY, boxFrom, boxTo, 1.0);
    }

    @Test
    void zeroTasksAreRefused() {
        assertMessage(() -> LossMultiTask.builder().build(), "LossMultiTask", "at least one task");
        assertMessage(() -> new LossMultiTask(null), "at least one task");
        assertMessage(() -> new LossMultiTask(List.of()), "at least one task");
    }

    @Test
    void overlappingSlicesAreRefused() {
        assertMessage(() -> classAndBox(2, 6).build(), "'class' [0, 3)", "'box' [2, 6)", "overlap in columns [2, 3)");
        assertMessage(() -> classAndBox(0, 3).build(), "overlap in columns [0, 3)");
        assertMessage(() -> classAndBox(1, 2).build(), "overlap in columns [1, 2)");
    }

    @Test
    void gapsBetweenSlicesAreRefused() {
        assertMessage(() -> classAndBox(4, 6).build(), "columns [3, 4) belong to no task", "without gaps");
        assertMessage(() -> LossMultiTask.builder().task("box", new LossSmoothL1(), Activation.IDENTITY, 2, 4, 1.0)
                .build(), "columns [0, 2) belong to no task");
    }

    @Test
    void slicesThatAreNotSlicesAreRefused() {
        assertMessage(() -> classAndBox(-1, 2), "task 'box'", "[-1, 2)", "0 <= from < to");
        assertMessage(() -> classAndBox(5, 5), "task 'box'", "[5, 5)");
        assertMessage(() -> classAndBox(6, 4), "task 'box'", "[6, 4)");
    }

    @Test
    void weightsMustBePositiveAndFinite() {
        for (double weight : new double[] {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertMessage(() -> LossMultiTask.builder().task("box", new LossSmoothL1(), Activation.IDENTITY, 0, 2,
                    weight), "task 'box'", "weight must be finite and > 0", String.valueOf(weight));
        }
    }

    @Test
    void tasksNeedANameALossAndAnActivation() {
        assertMessage(() -> LossMultiTask.builder().task(" ", new LossSmoothL1(), Activation.IDENTITY, 0, 2, 1),
                "every task needs a name");
        assertMessage(() -> LossMultiTask.builder().task("box", null, Activation.IDENTITY, 0, 2, 1), "task 'box'",
                "loss must not be null");
        assertMessage(() -> LossMultiTask.builder().task("box", new LossSmoothL1(), (Activation) null, 0, 2, 1),
                "task 'box'", "activation must not be null");
        assertMessage(() -> LossMultiTask.builder().task("a", new LossSmoothL1(), Activation.IDENTITY, 0, 2, 1)
                .task("a", new LossSmoothL1(), Activation.IDENTITY, 2, 3, 1).build(), "two tasks are named 'a'");
        LossMultiTask inner = classAndBox(3, 5).build();
        assertMessage(() -> LossMultiTask.builder().task("nested", inner, Activation.IDENTITY, 0, 5, 1),
                "cannot itself be a LossMultiTask");
    }

    @Test
    void slicesThatDoNotMatchTheOutputLayerAreNamed() {
        LossMultiTask loss = MultiTaskData.head();
        for (int columns : new int[] {COLUMNS - 1, COLUMNS + 2}) {
            INDArray labels = Nd4j.zeros(4, columns);
            INDArray preOutput = Nd4j.zeros(4, columns);
            assertMessage(() -> loss.computeScore(labels, preOutput, IDENTITY, null, false), "LossMultiTask",
                    "the tasks cover columns [0, " + COLUMNS + ")", "preOutput has shape [4, " + columns + "]",
                    "nOut(" + COLUMNS + ")", "'box' [4, 6)");
            assertMessage(() -> loss.computeGradient(labels, preOutput, IDENTITY, null), "nOut(" + COLUMNS + ")");
        }
    }

    @Test
    void theOutputLayerMustHaveNoActivationOfItsOwn() {
        INDArray labels = MultiTaskData.labels(3, 1, DataType.DOUBLE);
        INDArray preOutput = MultiTaskData.preOutput(3, 2, DataType.DOUBLE);
        assertMessage(() -> MultiTaskData.head().computeScore(labels, preOutput, new ActivationSoftmax(), null,
                false), "LossMultiTask", "Activation.IDENTITY", "ActivationSoftmax");
    }

    @Test
    void aTasksOwnCheckIsReportedWithTheTaskAndItsColumns() {
        INDArray labels = MultiTaskData.labels(3, 3, DataType.DOUBLE);
        INDArray preOutput = MultiTaskData.preOutput(3, 4, DataType.DOUBLE);
        labels.putScalar(new long[] {1, 5}, Double.POSITIVE_INFINITY);
        assertMessage(() -> MultiTaskData.head().computeScore(labels, preOutput, IDENTITY, null, false),
                "LossMultiTask, task 'box' (columns [4, 6) of labels shape [3, 9])", "LossSmoothL1", "labels must");
        LossMultiTask wrongActivation = LossMultiTask.builder()
                .task("flags", new LossBinaryCrossEntropy(), Activation.SOFTMAX, 0, 2, 1.0).build();
        assertMessage(() -> wrongActivation.computeGradient(Nd4j.zeros(2, 2), Nd4j.zeros(2, 2), IDENTITY, null),
                "task 'flags'", "sigmoid", "ActivationSoftmax");
    }

    @Test
    void aMaskThatSplitsASoftmaxTaskIsRefusedForThatTask() {
        INDArray labels = MultiTaskData.labels(3, 5, DataType.DOUBLE);
        INDArray preOutput = MultiTaskData.preOutput(3, 6, DataType.DOUBLE);
        INDArray mask = Nd4j.ones(3, COLUMNS);
        mask.putScalar(new long[] {0, 1}, 0);
        assertMessage(() -> MultiTaskData.head().computeScore(labels, preOutput, IDENTITY, mask, false),
                "task 'class'", "mask must be per example");
    }

    @Test
    void theCommonArgumentChecksStillApply() {
        INDArray labels = MultiTaskData.labels(4, 1, DataType.DOUBLE);
        assertMessage(() -> MultiTaskData.head().computeScore(labels, Nd4j.zeros(4, COLUMNS + 1), IDENTITY, null,
                false), "LossMultiTask", "labels shape [4, 9]", "preOutput shape [4, 10]");
        assertMessage(() -> MultiTaskData.head().computeScore(labels, Nd4j.zeros(4, COLUMNS), IDENTITY,
                Nd4j.ones(4, 2), false), "LossMultiTask", "mask shape [4, 2]");
    }
}
