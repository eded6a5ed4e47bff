package io.github.losskit.dl4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.dl4j.testing.LossCase;
import io.github.losskit.dl4j.testing.LossCatalog;
import java.util.List;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * DL4J's own gradient check (finite differences through the whole network, double precision) with every
 * loss in an OutputLayer, a LossLayer in a ComputationGraph and an RnnOutputLayer with time-step masks.
 */
class NetworkGradientCheckTest {

    private static final int FEATURES = 4;
    private static final int ROWS = 6;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static List<LossCase> losses() {
        return LossCatalog.all();
    }

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(12345).dataType(DataType.DOUBLE).updater(new NoOp());
    }

    private static GradientCheckUtil.MLNConfig check(MultiLayerNetwork net, INDArray features, INDArray labels,
            INDArray labelMask) {
        return new GradientCheckUtil.MLNConfig().net(net).input(features).labels(labels).labelMask(labelMask)
                .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void outputLayerWithPerExampleAndPerOutputMasks(LossCase c) {
        MultiLayerConfiguration conf = base().list()
                .layer(new DenseLayer.Builder().nIn(FEATURES).nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder().lossFunction(c.newLoss()).activation(c.newActivation()).nIn(5)
                        .nOut(c.classes()).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray features = LossCase.gaussian(ROWS, FEATURES, 3, 1.0, DataType.DOUBLE);
        INDArray labels = c.labels(ROWS, 4, DataType.DOUBLE);
        assertTrue(GradientCheckUtil.checkGradients(check(net, features, labels, null)), "no mask");
        INDArray rowMask = Nd4j.createFromArray(1.0, 0.0, 1.0, 1.0, 0.0, 1.0).reshape(ROWS, 1);
        assertTrue(GradientCheckUtil.checkGradients(check(net, features, labels, rowMask)), "per-example mask");
        if (c.takesPerOutputMasks()) {
            INDArray elementMask = Nd4j.ones(labels.shape());
            elementMask.putScalar(new long[] {0, 1}, 0);
            elementMask.putScalar(new long[] {3, 0}, 0);
            assertTrue(GradientCheckUtil.checkGradients(check(net, features, labels, elementMask)),
                    "per-output mask");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void lossLayerInAComputationGraph(LossCase c) {
        var conf = base().graphBuilder()
                .addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(FEATURES).nOut(c.classes())
                        .activation(Activation.IDENTITY).build(), "in")
                .addLayer("loss", new LossLayer.Builder().lossFunction(c.newLoss()).activation(c.newActivation())
                        .build(), "dense")
                .setOutputs("loss")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        INDArray features = LossCase.gaussian(ROWS, FEATURES, 5, 1.0, DataType.DOUBLE);
        INDArray labels = c.labels(ROWS, 6, DataType.DOUBLE);
        INDArray rowMask = Nd4j.createFromArray(1.0, 1.0, 0.0, 1.0, 1.0, 1.0).reshape(ROWS, 1);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
                .inputs(new INDArray[] {features}).labels(new INDArray[] {labels})
                .labelMask(new INDArray[] {rowMask}).epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void rnnOutputLayerWithTimeStepMask(LossCase c) {
        int examples = 3;
        int steps = 4;
        MultiLayerConfiguration conf = base().list()
                .layer(new SimpleRnn.Builder().nIn(FEATURES).nOut(5).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder().lossFunction(c.newLoss()).activation(c.newActivation()).nIn(5)
                        .nOut(c.classes()).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray features = LossCase.gaussian(examples * FEATURES, steps, 7, 1.0, DataType.DOUBLE)
                .reshape(examples, FEATURES, steps);
        // labels per (example, step) row, laid out as [examples, classes, steps]
        INDArray labels = c.labels(examples * steps, 8, DataType.DOUBLE).reshape(examples, steps, c.classes())
                .permute(0, 2, 1).dup();
        INDArray stepMask = Nd4j.createFromArray(new double[][] {{1, 1, 1, 1}, {1, 1, 0, 0}, {0, 1, 1, 0}});
        assertTrue(GradientCheckUtil.checkGradients(check(net, features, labels, stepMask)));
    }
}
