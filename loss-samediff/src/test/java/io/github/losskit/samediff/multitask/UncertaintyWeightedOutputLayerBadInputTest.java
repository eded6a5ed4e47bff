package io.github.losskit.samediff.multitask;

import static io.github.losskit.testing.Messages.assertMessage;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.samediff.UncertaintyWeightingForm;
import io.github.losskit.samediff.layers.TaskLoss;
import io.github.losskit.samediff.layers.UncertaintyWeightedOutputLayer;
import io.github.losskit.samediff.layers.UncertaintyWeightedOutputLayer.Task;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Bad layer configurations are refused when built, bad labels and masks when the network sees them. */
class UncertaintyWeightedOutputLayerBadInputTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static UncertaintyWeightedOutputLayer.Builder classAndBox(int boxFrom, int boxTo) {
        return new UncertaintyWeightedOutputLayer.Builder().nIn(3)
                .task("class", TaskLoss.crossEntropy(), Activation.SOFTMAX, 0, 3)
                .task("box", TaskLoss.smoothL1(), Activation.IDENTITY, boxFrom, boxTo);
    }

    @Test
    void slicesMustCoverTheColumnsOnce() {
        assertMessage(() -> new UncertaintyWeightedOutputLayer.Builder().nIn(3).build(), "at least one task");
        assertMessage(() -> classAndBox(2, 5).build(), "'class' [0, 3)", "'box' [2, 5)", "overlap in columns [2, 3)");
        assertMessage(() -> classAndBox(4, 6).build(), "columns [3, 4) belong to no task");
        assertMessage(() -> classAndBox(-1, 2), "task 'box'", "[-1, 2)");
        assertMessage(() -> classAndBox(4, 4), "task 'box'", "[4, 4)");
        assertMessage(() -> new UncertaintyWeightedOutputLayer.Builder()
                .task("a", TaskLoss.logCosh(), Activation.IDENTITY, 0, 1)
                .task("a", TaskLoss.logCosh(), Activation.IDENTITY, 1, 2).build(), "two tasks are named 'a'");
    }

    @Test
    void tasksAreCheckedWhenCreated() {
        assertMessage(() -> Task.of("", TaskLoss.logCosh(), Activation.IDENTITY, 0, 1), "every task needs a name");
        assertMessage(() -> Task.of("box", null, Activation.IDENTITY, 0, 1), "task 'box'", "loss must not be null");
        assertMessage(() -> Task.of("box", TaskLoss.logCosh(), null, 0, 1), "activation must not be null");
        assertMessage(() -> Task.of("box", TaskLoss.logCosh(), Activation.IDENTITY, 0, 1).withForm(null),
                "form must not be null");
        assertMessage(() -> Task.of("box", TaskLoss.logCosh(), Activation.IDENTITY, 0, 1)
                .withInitialLogVariance(Double.POSITIVE_INFINITY), "initialLogVariance must be finite");
        assertMessage(() -> Task.of("class", TaskLoss.crossEntropy(), Activation.SOFTMAX, 0, 1),
                "softmax over 1 column");
    }

    @Test
    void lossesThatComputeFromLogitsNameTheActivationTheyNeed() {
        assertMessage(() -> Task.of("class", TaskLoss.crossEntropy(), Activation.IDENTITY, 0, 3), "task 'class'",
                "cross-entropy", "Activation.SOFTMAX", "IDENTITY");
        assertMessage(() -> Task.of("dist", TaskLoss.klDivergence(), Activation.SIGMOID, 0, 3), "Activation.SOFTMAX");
        assertMessage(() -> Task.of("flags", TaskLoss.binaryCrossEntropy(), Activation.SOFTMAX, 0, 3),
                "Activation.SIGMOID");
        assertMessage(() -> Task.of("rare", TaskLoss.focal(2, 0.25), Activation.TANH, 0, 3),
                "Activation.SOFTMAX or Activation.SIGMOID");
    }

    @Test
    void activationsWithoutASameDiffFormAreRefused() {
        assertMessage(() -> Task.of("box", TaskLoss.huber(1.0), Activation.SELU, 0, 2), "task 'box'",
                "Activation.SELU has no SameDiff form");
    }

    @Test
    void lossParametersAreCheckedByTheCore() {
        assertMessage(() -> TaskLoss.smoothL1(-1), "beta");
        assertMessage(() -> TaskLoss.huber(0), "delta");
        assertMessage(() -> TaskLoss.crossEntropy(1.0), "labelSmoothing");
        assertMessage(() -> TaskLoss.crossEntropy(0.1, 1, -2), "weights[1]");
        assertMessage(() -> TaskLoss.focal(-1), "gamma");
    }

    private static MultiLayerNetwork network(UncertaintyWeightedOutputLayer layer) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .list().layer(layer).build());
        net.init();
        return net;
    }

    @Test
    void aMissingNInIsNamedWhenTheNetworkIsBuilt() {
        UncertaintyWeightedOutputLayer layer = new UncertaintyWeightedOutputLayer.Builder()
                .task("box", TaskLoss.smoothL1(), Activation.IDENTITY, 0, 2).build();
        assertMessage(() -> network(layer), "nIn is not set");
    }

    @Test
    void labelsWithOtherColumnsAreRefused() {
        MultiLayerNetwork net = network(classAndBox(3, 5).build());
        assertMessage(() -> net.fit(new DataSet(Nd4j.zeros(2, 3), Nd4j.zeros(2, 6))), "labels must be [minibatch, 5]",
                "[2, 6]");
    }

    @Test
    void labelMasksAreRefusedRatherThanIgnored() {
        MultiLayerNetwork net = network(classAndBox(3, 5).build());
        DataSet masked = new DataSet(Nd4j.zeros(2, 3), HeadData.labels(2, 1).getColumns(0, 1, 2, 4, 5), null,
                Nd4j.ones(2, 1));
        assertMessage(() -> net.fit(masked), "label masks are not supported", "[2, 1]");
    }

    @Test
    void formsAndNamesAppearInToString() {
        String text = classAndBox(3, 5).task(Task.of("extra", TaskLoss.logCosh(), Activation.TANH, 5, 6)
                .withForm(UncertaintyWeightingForm.HALVED)).build().toString();
        assertTrue(text.contains("extra") && text.contains("HALVED"), text);
    }
}
