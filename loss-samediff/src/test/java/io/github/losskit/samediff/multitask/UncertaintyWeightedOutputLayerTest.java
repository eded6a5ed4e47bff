package io.github.losskit.samediff.multitask;

import static io.github.losskit.samediff.multitask.HeadData.COLUMNS;
import static io.github.losskit.testing.Approx.assertClose;
import static io.github.losskit.testing.Approx.assertReferenceClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.dl4j.LossCrossEntropy;
import io.github.losskit.dl4j.LossKLDivergence;
import io.github.losskit.dl4j.LossMultiTask;
import io.github.losskit.dl4j.LossSmoothL1;
import io.github.losskit.samediff.UncertaintyWeightingForm;
import io.github.losskit.samediff.layers.UncertaintyWeightedOutputLayer;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;

/** The uncertainty-weighted output layer in DL4J networks: values, gradients, serialization, output. */
class UncertaintyWeightedOutputLayerTest {

    private static final int FEATURES = 4;
    private static final int ROWS = 5;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static NeuralNetConfiguration.Builder gradientCheckBase() {
        return new NeuralNetConfiguration.Builder().seed(12345).dataType(DataType.DOUBLE).updater(new NoOp());
    }

    private static MultiLayerNetwork network(NeuralNetConfiguration.Builder base, UncertaintyWeightedOutputLayer out) {
        MultiLayerConfiguration conf = base.list()
                .layer(new DenseLayer.Builder().nIn(FEATURES).nOut(6).activation(Activation.TANH).build())
                .layer(out)
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static boolean check(MultiLayerNetwork net, INDArray features, INDArray labels) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(features)
                .labels(labels).epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }

    static List<MultiTaskReference.Head> heads() {
        return MultiTaskReference.heads();
    }

    /**
     * With W = I and b = 0 the layer's pre-activations are its input, so the network's score, its input gradient and
     * the gradient of s compare directly with PyTorch. DL4J reports gradients of the summed (not averaged) score.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("heads")
    void scoreAndGradientsMatchPyTorch(MultiTaskReference.Head c) {
        MultiLayerNetwork net = new MultiLayerNetwork(gradientCheckBase().list()
                .layer(HeadData.head(COLUMNS, c.beta(), c.forms(), c.logVariances()).build()).build());
        net.init();
        net.getLayer(0).getParam(UncertaintyWeightedOutputLayer.WEIGHTS).assign(Nd4j.eye(COLUMNS));
        INDArray logits = Nd4j.createFromArray(c.logits());
        INDArray labels = Nd4j.createFromArray(c.labels());
        int rows = c.logits().length;
        assertReferenceClose("score", Nd4j.scalar(c.total()), Nd4j.scalar(net.score(new DataSet(logits, labels))));
        Pair<Gradient, INDArray> gradients = net.calculateGradients(logits, labels, null, null);
        assertReferenceClose("d total / d logits", Nd4j.createFromArray(c.gradLogits()).muli(rows),
                gradients.getSecond());
        assertReferenceClose("d total / d s", Nd4j.createFromArray(c.gradLogVariances()).reshape(1, 3).muli(rows),
                gradients.getFirst().getGradientFor("0_" + UncertaintyWeightedOutputLayer.LOG_VARIANCES));
    }

    @Test
    void multiLayerNetworkPassesTheGradientCheck() {
        MultiLayerNetwork net = network(gradientCheckBase(), HeadData.head(6).build());
        assertTrue(check(net, HeadData.gaussian(ROWS, FEATURES, 1), HeadData.labels(ROWS, 2)));
    }

    @Test
    void minibatchOfOnePassesTheGradientCheckAndTrains() {
        MultiLayerNetwork net = network(gradientCheckBase(), HeadData.head(6).build());
        INDArray features = HeadData.gaussian(1, FEATURES, 3);
        INDArray labels = HeadData.labels(1, 4);
        assertTrue(check(net, features, labels));
        MultiLayerNetwork trained = network(new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(0.05)),
                HeadData.head(6).build());
        DataSet one = new DataSet(features, labels);
        double before = trained.score(one);
        for (int i = 0; i < 30; i++) {
            trained.fit(one);
        }
        assertTrue(trained.score(one) < before, "score " + before + " -> " + trained.score(one));
    }

    @Test
    void computationGraphPassesTheGradientCheck() {
        ComputationGraphConfiguration conf = gradientCheckBase().graphBuilder()
                .addInputs("in")
                .addLayer("shared", new DenseLayer.Builder().nIn(FEATURES).nOut(5).activation(Activation.TANH).build(),
                        "in")
                .addLayer("out", HeadData.head(5).build(), "shared")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
                .inputs(new INDArray[] {HeadData.gaussian(ROWS, FEATURES, 5)})
                .labels(new INDArray[] {HeadData.labels(ROWS, 6)}).epsilon(1e-6).maxRelError(1e-3)
                .minAbsoluteError(1e-8).print(GradientCheckUtil.PrintMode.FAILURES_ONLY)));
    }

    /** At s = 0 in the standard form the total is the plain sum of the tasks: LossMultiTask with unit weights. */
    @Test
    void atZeroLogVariancesTheLayerEqualsTheStaticMultiTaskLoss() {
        UncertaintyWeightingForm standard = UncertaintyWeightingForm.STANDARD;
        MultiLayerNetwork weighted = network(gradientCheckBase(), HeadData.head(6, 0.5,
                new UncertaintyWeightingForm[] {standard, standard, standard}, new double[3]).build());
        LossMultiTask loss = LossMultiTask.builder()
                .task("class", new LossCrossEntropy(), Activation.SOFTMAX, 0, 4, 1.0)
                .task("box", new LossSmoothL1(0.5), Activation.IDENTITY, 4, 6, 1.0)
                .task("dist", new LossKLDivergence(), Activation.SOFTMAX, 6, COLUMNS, 1.0)
                .build();
        MultiLayerNetwork fixed = new MultiLayerNetwork(gradientCheckBase().list()
                .layer(new DenseLayer.Builder().nIn(FEATURES).nOut(6).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder().lossFunction(loss).activation(Activation.IDENTITY).nIn(6)
                        .nOut(COLUMNS).build())
                .build());
        fixed.init();
        fixed.getLayer(0).setParams(weighted.getLayer(0).params().dup());
        for (String param : List.of("W", "b")) {
            fixed.getLayer(1).getParam(param).assign(weighted.getLayer(1).getParam(param));
        }
        INDArray features = HeadData.gaussian(ROWS, FEATURES, 7);
        INDArray labels = HeadData.labels(ROWS, 8);
        assertEquals(fixed.score(new DataSet(features, labels)), weighted.score(new DataSet(features, labels)), 1e-12);
        Gradient fixedGradient = fixed.calculateGradients(features, labels, null, null).getFirst();
        Gradient weightedGradient = weighted.calculateGradients(features, labels, null, null).getFirst();
        for (String param : List.of("0_W", "0_b", "1_W", "1_b")) {
            // DL4J's OutputLayer keeps its bias as [nOut], the SameDiff layer as [1, nOut]
            assertClose(param, fixedGradient.getGradientFor(param).reshape(-1),
                    weightedGradient.getGradientFor(param).reshape(-1), 1e-10, 1e-12);
        }
    }

    @Test
    void theOutputIsEachTasksActivationOfItsColumns() {
        MultiLayerNetwork net = network(gradientCheckBase(), HeadData.head(6).build());
        INDArray features = HeadData.gaussian(ROWS, FEATURES, 9);
        INDArray hidden = net.feedForwardToLayer(0, features).get(1);
        INDArray preOutput = hidden.mmul(net.getLayer(1).getParam("W")).addiRowVector(net.getLayer(1).getParam("b"));
        INDArray output = net.output(features);
        assertClose("class probabilities", new ActivationSoftmax().getActivation(columns(preOutput, 0, 4), false),
                columns(output, 0, 4), 1e-12, 1e-14);
        assertClose("box", columns(preOutput, 4, 6), columns(output, 4, 6), 1e-12, 1e-14);
        assertClose("distribution", new ActivationSoftmax().getActivation(columns(preOutput, 6, COLUMNS), false),
                columns(output, 6, COLUMNS), 1e-12, 1e-14);
    }

    private static INDArray columns(INDArray array, int from, int to) {
        return array.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to)).dup();
    }

    @Test
    void variancesAreReadByTaskNameAndTrainedWithTheNetwork() {
        MultiLayerNetwork net = network(new NeuralNetConfiguration.Builder().seed(2).updater(new Adam(0.05)).l2(0.5),
                HeadData.head(6).build());
        Map<String, Double> initial = UncertaintyWeightedOutputLayer.variances(net.getOutputLayer());
        assertEquals(List.of("class", "box", "dist"), List.copyOf(initial.keySet()));
        // a float network holds s in float
        assertEquals(Math.exp(0.3), initial.get("class"), 1e-6);
        assertEquals(-0.5, UncertaintyWeightedOutputLayer.logVariances(net.getOutputLayer()).get("box"), 1e-7);
        UncertaintyWeightedOutputLayer conf = (UncertaintyWeightedOutputLayer) net.getOutputLayer().conf().getLayer();
        assertEquals(List.of(), conf.getRegularizationByParam(UncertaintyWeightedOutputLayer.LOG_VARIANCES),
                "s is exempt from l2");
        assertEquals(1, conf.getRegularizationByParam(UncertaintyWeightedOutputLayer.WEIGHTS).size());
        net.fit(new DataSet(HeadData.gaussian(ROWS, FEATURES, 10), HeadData.labels(ROWS, 11)));
        assertTrue(Math.abs(UncertaintyWeightedOutputLayer.variances(net.getOutputLayer()).get("class")
                - initial.get("class")) > 1e-3, "one step of Adam moves s");
        assertThrows(IllegalArgumentException.class, () -> UncertaintyWeightedOutputLayer.variances(net.getLayer(0)));
    }

    @Test
    void jsonRoundTripsOfBothConfigurationKinds() {
        MultiLayerConfiguration conf = network(new NeuralNetConfiguration.Builder().updater(new Adam(0.01)),
                HeadData.head(6).build()).getLayerWiseConfigurations();
        String json = conf.toJson();
        assertTrue(json.contains("io.github.losskit.samediff.layers.TaskLoss$SmoothL1"), json);
        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(json);
        assertEquals(conf, restored);
        assertEquals(conf.getConf(1).getLayer(), restored.getConf(1).getLayer());
        ComputationGraphConfiguration graph = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .addLayer("out", HeadData.head(3).build(), "in").setOutputs("out").build();
        assertEquals(graph, ComputationGraphConfiguration.fromJson(graph.toJson()));
    }

    @Test
    void modelSerializerRoundTripKeepsTheTasksTheVariancesAndTheScore(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = network(new NeuralNetConfiguration.Builder().seed(4).updater(new Adam(0.05)),
                HeadData.head(6).build());
        DataSet data = new DataSet(HeadData.gaussian(8, FEATURES, 12), HeadData.labels(8, 13));
        for (int i = 0; i < 5; i++) {
            net.fit(data);
        }
        File file = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(net.getLayerWiseConfigurations(), restored.getLayerWiseConfigurations());
        assertEquals(UncertaintyWeightedOutputLayer.variances(net.getOutputLayer()),
                UncertaintyWeightedOutputLayer.variances(restored.getOutputLayer()));
        assertEquals(net.score(data), restored.score(data), 1e-12);
        assertEquals(net.output(data.getFeatures()), restored.output(data.getFeatures()));
        restored.fit(data);
        net.fit(data);
        assertEquals(net.params(), restored.params(), "the updater state was saved too");

        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(5)
                .updater(new Adam(0.05)).graphBuilder().addInputs("in")
                .addLayer("out", HeadData.head(FEATURES).build(), "in").setOutputs("out").build());
        graph.init();
        graph.fit(data);
        File graphFile = dir.resolve("graph.zip").toFile();
        ModelSerializer.writeModel(graph, graphFile, true);
        ComputationGraph restoredGraph = ModelSerializer.restoreComputationGraph(graphFile, true);
        assertEquals(graph.score(data), restoredGraph.score(data), 1e-12);
        assertEquals(UncertaintyWeightedOutputLayer.variances(graph.getLayer("out")),
                UncertaintyWeightedOutputLayer.variances(restoredGraph.getLayer("out")));
    }

    @Test
    void floatNetworksWork() {
        MultiLayerNetwork net = network(new NeuralNetConfiguration.Builder().seed(6).dataType(DataType.FLOAT)
                .updater(new Adam(0.05)), HeadData.head(6).build());
        DataSet data = new DataSet(HeadData.gaussian(8, FEATURES, 14).castTo(DataType.FLOAT),
                HeadData.labels(8, 15).castTo(DataType.FLOAT));
        double before = net.score(data);
        for (int i = 0; i < 20; i++) {
            net.fit(data);
        }
        assertTrue(net.score(data) < before);
        assertEquals(DataType.FLOAT, net.output(data.getFeatures()).dataType());
        assertInstanceOf(Double.class, UncertaintyWeightedOutputLayer.variances(net.getOutputLayer()).get("box"));
    }
}
