package io.github.losskit.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.dl4j.testing.LossCase;
import io.github.losskit.dl4j.testing.LossCatalog;
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

/** Every parameter survives JSON (both configuration kinds), ModelSerializer and Java serialization. */
class SerializationTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static List<LossCase> losses() {
        return LossCatalog.all();
    }

    private static MultiLayerConfiguration network(LossCase c) {
        return new NeuralNetConfiguration.Builder().seed(7).updater(new Adam(0.01)).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder().lossFunction(c.newLoss()).activation(c.newActivation()).nIn(4)
                        .nOut(c.classes()).build())
                .build();
    }

    private static ILossFunction outputLoss(MultiLayerConfiguration conf) {
        return ((OutputLayer) conf.getConf(1).getLayer()).getLossFn();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void multiLayerConfigurationJsonRoundTrip(LossCase c) {
        MultiLayerConfiguration conf = network(c);
        String json = conf.toJson();
        assertTrue(json.contains(c.newLoss().getClass().getName()), "JSON names the loss class");
        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(json);
        assertEquals(c.newLoss(), outputLoss(restored));
        assertEquals(conf, restored);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void computationGraphConfigurationJsonRoundTrip(LossCase c) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .addLayer("out", new OutputLayer.Builder().lossFunction(c.newLoss()).activation(c.newActivation())
                        .nIn(3).nOut(c.classes()).build(), "in")
                .setOutputs("out").build();
        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf, restored);
        OutputLayer layer = (OutputLayer) ((org.deeplearning4j.nn.conf.graph.LayerVertex) restored.getVertices()
                .get("out")).getLayerConf().getLayer();
        assertEquals(c.newLoss(), layer.getLossFn());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void modelSerializerRoundTripKeepsTheLossAndTheScore(LossCase c, @TempDir Path dir) throws Exception {
        MultiLayerNetwork net = new MultiLayerNetwork(network(c));
        net.init();
        DataSet data = new DataSet(LossCase.gaussian(10, 3, 1, 1.0, DataType.DOUBLE), c.labels(10, 2, DataType.DOUBLE));
        net.fit(data);
        File file = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(c.newLoss(), outputLoss(restored.getLayerWiseConfigurations()));
        assertEquals(net.score(data), restored.score(data), 1e-12);
        INDArray features = data.getFeatures();
        assertEquals(net.output(features), restored.output(features));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void javaSerializationRestoresAWorkingLoss(LossCase c) throws Exception {
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
        INDArray labels = c.labels(4, 3, DataType.DOUBLE);
        INDArray preOutput = c.preOutput(4, 4, 1.0, DataType.DOUBLE);
        assertEquals(loss.computeScore(labels, preOutput, c.newActivation(), null, false),
                restored.computeScore(labels, preOutput, c.newActivation(), null, false));
    }

    @Test
    void equalityFollowsEveryParameter() {
        assertEquals(LossFocal.builder().gamma(2).alpha(0.25).build(), new LossFocal());
        assertEquals(new LossFocal().hashCode(), LossFocal.builder().build().hashCode());
        assertNotEquals(new LossFocal(), LossFocal.builder().gamma(1).build());
        assertNotEquals(new LossFocal(), LossFocal.builder().alpha(0.5).build());
        assertNotEquals(new LossFocal(), LossFocal.builder().alpha(0.25, 0.25).build());
        assertEquals(LossCrossEntropy.builder().labelSmoothing(0.1).weights(1, 2).build(),
                LossCrossEntropy.builder().labelSmoothing(0.1).weights(1, 2).build());
        assertNotEquals(new LossCrossEntropy(), LossCrossEntropy.builder().labelSmoothing(0.1).build());
        assertNotEquals(new LossCrossEntropy(), LossCrossEntropy.builder().weights(1, 2).build());
        assertNotEquals(new LossBinaryCrossEntropy(), LossBinaryCrossEntropy.builder().posWeight(2).build());
        assertNotEquals(new LossBinaryCrossEntropy(), LossBinaryCrossEntropy.builder().weights(2).build());
        assertNotEquals(new LossBinaryCrossEntropy(), LossBinaryCrossEntropy.builder().labelSmoothing(0.1).build());
        assertNotEquals(LossBinaryCrossEntropy.builder().posWeight(2).build(),
                LossBinaryCrossEntropy.builder().weights(2).build());
    }

    @Test
    void buildersCopyTheirArrays() {
        double[] alpha = {0.5, 1.0};
        LossFocal focal = LossFocal.builder().alpha(alpha).build();
        alpha[0] = 9;
        assertEquals(0.5, focal.getAlpha()[0]);
        focal.getAlpha()[1] = 9;
        assertEquals(1.0, focal.getAlpha()[1]);
    }
}
