package io.github.losskit.samediff.multitask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.core.divergence.TargetSpace;
import io.github.losskit.core.margin.MarginFunction;
import io.github.losskit.core.margin.MarginLabels;
import io.github.losskit.samediff.UncertaintyWeightingForm;
import io.github.losskit.samediff.layers.TaskLoss;
import io.github.losskit.samediff.layers.UncertaintyWeightedOutputLayer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Random;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/** Every kind of task loss in one layer: JSON, Java serialization and DL4J's gradient check. */
class TaskLossKindsTest {

    private static final int ROWS = 4;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /**
     * Columns: [0, 3) focal softmax, [3, 5) focal sigmoid, [5, 7) binary cross-entropy, [7, 8) Huber through
     * tanh, [8, 9) log-cosh, [9, 10) logistic margin on 0/1 labels, [10, 13) KL from log-probabilities,
     * [13, 16) cross-entropy with smoothing and class weights.
     */
    private static UncertaintyWeightedOutputLayer everyKind() {
        UncertaintyWeightingForm halved = UncertaintyWeightingForm.HALVED;
        return new UncertaintyWeightedOutputLayer.Builder().nIn(5)
                .task("focalSoftmax", TaskLoss.focal(2.0, 0.5, 1.0, 2.0), Activation.SOFTMAX, 0, 3)
                .task("focalSigmoid", TaskLoss.focal(1.5, 0.25), Activation.SIGMOID, 3, 5, halved)
                .task("bce", new TaskLoss.BinaryCrossEntropy(new double[] {2.0}, new double[] {1.0, 0.5}, 0.1),
                        Activation.SIGMOID, 5, 7)
                .task("huber", new TaskLoss.Huber(0.3, null), Activation.TANH, 7, 8, halved)
                .task("logCosh", new TaskLoss.LogCosh(new double[] {2.0}), Activation.IDENTITY, 8, 9)
                .task("margin", TaskLoss.margin(MarginFunction.LOGISTIC, MarginLabels.ZERO_ONE), Activation.IDENTITY,
                        9, 10)
                .task("kl", TaskLoss.klDivergence(TargetSpace.LOG_PROBABILITIES), Activation.SOFTMAX, 10, 13)
                .task("ce", TaskLoss.crossEntropy(0.1, 1.0, 3.0, 0.5), Activation.SOFTMAX, 13, 16)
                .build();
    }

    private static INDArray labels(long seed) {
        Random random = new Random(seed);
        double[][] y = new double[ROWS][16];
        for (double[] row : y) {
            row[random.nextInt(3)] = 1;
            for (int c = 3; c < 7; c++) {
                row[c] = random.nextBoolean() ? 1 : 0;
            }
            row[7] = 0.8 * random.nextDouble() - 0.4;
            row[8] = random.nextGaussian();
            row[9] = random.nextBoolean() ? 1 : 0;
            double a = random.nextDouble() + 0.1;
            double b = random.nextDouble() + 0.1;
            double c = random.nextDouble() + 0.1;
            row[10] = Math.log(a / (a + b + c));
            row[11] = Math.log(b / (a + b + c));
            row[12] = Math.log(c / (a + b + c));
            row[13 + random.nextInt(3)] = 1;
        }
        return Nd4j.createFromArray(y);
    }

    @Test
    void everyKindSurvivesJsonAndJavaSerialization() throws Exception {
        UncertaintyWeightedOutputLayer layer = everyKind();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list().layer(layer).build();
        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(layer.getTasks(), ((UncertaintyWeightedOutputLayer) restored.getConf(0).getLayer()).getTasks());
        assertEquals(conf, restored);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(layer);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(layer, in.readObject());
        }
    }

    @Test
    void everyKindPassesTheGradientCheck() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.DOUBLE).updater(new NoOp()).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(5).activation(Activation.TANH).build())
                .layer(everyKind())
                .build());
        net.init();
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
                .input(HeadData.gaussian(ROWS, 3, 21)).labels(labels(22)).epsilon(1e-6).maxRelError(1e-3)
                .minAbsoluteError(1e-8).print(GradientCheckUtil.PrintMode.FAILURES_ONLY)));
    }
}
