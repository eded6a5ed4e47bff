package io.github.losskit.dl4j.metric;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.dl4j.testing.LossCase;
import java.util.List;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
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
 * DL4J's gradient check (finite differences through the whole network, double precision) for every metric mode:
 * Dense -> OutputLayer (the case's activation, usually identity) whose labels are [N, 1] or [N, K] while the
 * output is [N, D], with and without a per-example mask; and a LossLayer in a ComputationGraph.
 */
class MetricNetworkGradientCheckTest {

    private static final int FEATURES = 5;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static List<MetricCase> losses() {
        return MetricCatalog.all();
    }

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(12345).dataType(DataType.DOUBLE).updater(new NoOp());
    }

    /** Features whose classes are separable, so that the network's embeddings have structure to mine. */
    private static INDArray features(MetricCase c, INDArray labels, long seed) {
        return c.minesTheBatch() ? MetricLabels.clustered(labels, FEATURES, 0.5, seed)
                : LossCase.gaussian((int) labels.size(0), FEATURES, seed, 1.0, DataType.DOUBLE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void outputLayerWithAndWithoutAMask(MetricCase c) {
        MultiLayerConfiguration conf = base().list()
                .layer(new DenseLayer.Builder().nIn(FEATURES).nOut(6).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder().lossFunction(c.newLoss()).activation(c.newActivation()).nIn(6)
                        .nOut(c.outputs()).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray labels = c.labels(c.rows(), 4, DataType.DOUBLE);
        INDArray features = features(c, labels, 3);
        for (INDArray mask : java.util.Arrays.asList(null, MetricContractTest.mask(c.rows(),
                MetricContractTest.maskedRows(c)))) {
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(features)
                    .labels(labels).labelMask(mask).epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)), mask == null ? "no mask" : "row mask");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void lossLayerInAComputationGraph(MetricCase c) {
        var conf = base().graphBuilder()
                .addInputs("in")
                .addLayer("embedding", new DenseLayer.Builder().nIn(FEATURES).nOut(c.outputs())
                        .activation(Activation.IDENTITY).build(), "in")
                .addLayer("loss", new LossLayer.Builder().lossFunction(c.newLoss()).activation(c.newActivation())
                        .build(), "embedding")
                .setOutputs("loss")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        INDArray labels = c.labels(c.rows(), 6, DataType.DOUBLE);
        INDArray features = features(c, labels, 5);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
                .inputs(new INDArray[] {features}).labels(new INDArray[] {labels})
                .labelMask(new INDArray[] {MetricContractTest.mask(c.rows(), MetricContractTest.maskedRows(c))})
                .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)));
    }
}
