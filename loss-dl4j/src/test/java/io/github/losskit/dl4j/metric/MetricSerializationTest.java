package io.github.losskit.dl4j.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.core.metric.Distance;
import io.github.losskit.core.metric.Mining;
import io.github.losskit.core.metric.PairMode;
import io.github.losskit.core.metric.TripletPenalty;
import io.github.losskit.dl4j.LossContrastive;
import io.github.losskit.dl4j.LossTriplet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** Every parameter of the metric losses survives JSON, ModelSerializer and Java serialization. */
class MetricSerializationTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static List<MetricCase> losses() {
        return MetricCatalog.all();
    }

    private static MultiLayerConfiguration network(MetricCase c) {
        return new NeuralNetConfiguration.Builder().seed(7).updater(new Adam(0.01)).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder().lossFunction(c.newLoss()).activation(c.newActivation()).nIn(5)
                        .nOut(c.outputs()).build())
                .build();
    }

    private static ILossFunction outputLoss(MultiLayerConfiguration conf) {
        return ((OutputLayer) conf.getConf(1).getLayer()).getLossFn();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void multiLayerConfigurationJsonRoundTrip(MetricCase c) {
        MultiLayerConfiguration conf = network(c);
        String json = conf.toJson();
        assertTrue(json.contains(c.newLoss().getClass().getName()), "JSON names the loss class");
        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(json);
        assertEquals(c.newLoss(), outputLoss(restored));
        assertEquals(conf, restored);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void computationGraphConfigurationJsonRoundTrip(MetricCase c) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .addLayer("out", new OutputLayer.Builder().lossFunction(c.newLoss()).activation(c.newActivation())
                        .nIn(3).nOut(c.outputs()).build(), "in")
                .setOutputs("out").build();
        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf, restored);
        OutputLayer layer = (OutputLayer) ((LayerVertex) restored.getVertices().get("out")).getLayerConf().getLayer();
        assertEquals(c.newLoss(), layer.getLossFn());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void modelSerializerRoundTripKeepsTheLossAndTheScore(MetricCase c, @TempDir Path dir) throws Exception {
        MultiLayerNetwork net = new MultiLayerNetwork(network(c));
        net.init();
        INDArray labels = c.labels(c.rows(), 2, DataType.DOUBLE);
        DataSet data = new DataSet(MetricLabels.clustered(labels, 3, 0.5, 1), labels);
        net.fit(data);
        File file = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(c.newLoss(), outputLoss(restored.getLayerWiseConfigurations()));
        assertEquals(net.score(data), restored.score(data), 1e-12);
        assertEquals(net.output(data.getFeatures()), restored.output(data.getFeatures()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void javaSerializationRestoresAWorkingLoss(MetricCase c) throws Exception {
        ILossFunction loss = c.newLoss();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(loss);
        }
        ILossFunction restored;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            restored = assertInstanceOf(ILossFunction.class, in.readObject());
        }
        assertEquals(loss, restored);
        INDArray labels = c.labels(c.rows(), 3, DataType.DOUBLE);
        INDArray preOutput = c.preOutput(labels, 4, DataType.DOUBLE);
        assertEquals(loss.computeScore(labels, preOutput, c.newActivation(), null, false),
                restored.computeScore(labels, preOutput, c.newActivation(), null, false));
    }

    @Test
    void tripletEqualityFollowsEveryParameter() {
        LossTriplet defaults = new LossTriplet();
        assertEquals(LossTriplet.builder().margin(1.0).penalty(TripletPenalty.HINGE).swap(false)
                .mining(Mining.CONSECUTIVE).distance(Distance.EUCLIDEAN).build(), defaults);
        assertEquals(defaults.hashCode(), LossTriplet.builder().build().hashCode());
        assertNotEquals(defaults, LossTriplet.builder().margin(0.5).build());
        assertNotEquals(defaults, LossTriplet.builder().softMargin().build());
        assertNotEquals(defaults, LossTriplet.builder().swap(true).build());
        assertNotEquals(defaults, LossTriplet.builder().mining(Mining.BATCH_HARD).build());
        assertNotEquals(defaults, LossTriplet.builder().distance(Distance.COSINE).build());
    }

    @Test
    void contrastiveEqualityFollowsEveryParameter() {
        LossContrastive defaults = new LossContrastive();
        assertEquals(LossContrastive.builder().margin(1.0).positiveMargin(0.0).pairs(PairMode.CONSECUTIVE)
                .distance(Distance.EUCLIDEAN).build(), defaults);
        assertEquals(defaults.hashCode(), LossContrastive.builder().build().hashCode());
        assertNotEquals(defaults, LossContrastive.builder().margin(2).build());
        assertNotEquals(defaults, LossContrastive.builder().positiveMargin(0.1).build());
        assertNotEquals(defaults, LossContrastive.builder().pairs(PairMode.ALL_IN_BATCH).build());
        assertNotEquals(defaults, LossContrastive.builder().distance(Distance.SQUARED_EUCLIDEAN).build());
    }

    @Test
    void theJsonNamesEveryParameter() {
        String triplet = network(new MetricCase("t", () -> LossTriplet.builder().margin(0.25).softMargin().swap(true)
                .mining(Mining.SEMI_HARD).distance(Distance.COSINE).build(), () -> Activation.IDENTITY
                .getActivationFunction(), MetricLabels.CLASS_IDS, 0, 4, 1)).toJson();
        for (String expected : List.of("\"margin\" : 0.25", "\"penalty\" : \"SOFT_MARGIN\"", "\"swap\" : true",
                "\"mining\" : \"SEMI_HARD\"", "\"distance\" : \"COSINE\"")) {
            assertTrue(triplet.contains(expected), expected + " in " + triplet);
        }
        String contrastive = network(new MetricCase("c", () -> LossContrastive.builder().margin(2).positiveMargin(0.5)
                .pairs(PairMode.ALL_IN_BATCH).distance(Distance.SQUARED_EUCLIDEAN).build(),
                () -> Activation.IDENTITY.getActivationFunction(), MetricLabels.CLASS_IDS, 0, 4, 1)).toJson();
        for (String expected : List.of("\"margin\" : 2.0", "\"positiveMargin\" : 0.5", "\"pairs\" : \"ALL_IN_BATCH\"",
                "\"distance\" : \"SQUARED_EUCLIDEAN\"")) {
            assertTrue(contrastive.contains(expected), expected + " in " + contrastive);
        }
    }
}
