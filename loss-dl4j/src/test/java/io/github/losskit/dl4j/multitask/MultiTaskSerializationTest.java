package io.github.losskit.dl4j.multitask;

import static io.github.losskit.dl4j.multitask.MultiTaskData.COLUMNS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.dl4j.LossCrossEntropy;
import io.github.losskit.dl4j.LossMultiTask;
import io.github.losskit.dl4j.LossSmoothL1;
import io.github.losskit.dl4j.testing.RoundTrips;
import java.io.File;
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
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/** The tasks, with their nested losses and activations, survive JSON, ModelSerializer and Java serialization. */
class MultiTaskSerializationTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static List<LossMultiTask> losses() {
        return List.of(
                MultiTaskData.head(1.0, 5.0, 0.25, 0.5),
                LossMultiTask.builder()
                        .task("class", LossCrossEntropy.builder().labelSmoothing(0.1).weights(1, 2, 3, 0.5, 1, 1)
                                .build(), Activation.SOFTMAX, 0, 6, 2.0)
                        .task("value", new LossMSE(), new ActivationLReLU(0.2), 7, COLUMNS, 0.5)
                        .task("flag", new LossMCXENT(Nd4j.createFromArray(1.0)), Activation.SIGMOID, 6, 7, 1.5)
                        .build());
    }

    private static MultiLayerConfiguration network(LossMultiTask loss) {
        return new NeuralNetConfiguration.Builder().seed(7).updater(new Adam(0.01)).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(5).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder().lossFunction(loss).activation(Activation.IDENTITY).nIn(5)
                        .nOut(loss.nOut()).build())
                .build();
    }

    private static LossMultiTask outputLoss(MultiLayerConfiguration conf) {
        return assertInstanceOf(LossMultiTask.class, ((OutputLayer) conf.getConf(1).getLayer()).getLossFn());
    }

    @ParameterizedTest
    @MethodSource("losses")
    void multiLayerConfigurationJsonRoundTrip(LossMultiTask loss) {
        MultiLayerConfiguration conf = network(loss);
        String json = conf.toJson();
        for (LossMultiTask.Task task : loss.getTasks()) {
            assertTrue(json.contains("\"" + task.getLoss().getClass().getName() + "\""), "JSON names "
                    + task.getLoss().getClass().getName());
            assertTrue(json.contains("\"" + task.getActivation().getClass().getName() + "\""), "JSON names "
                    + task.getActivation().getClass().getName());
        }
        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(json);
        assertEquals(loss, outputLoss(restored));
        assertEquals(conf, restored);
        assertEquals(loss, outputLoss(MultiLayerConfiguration.fromYaml(conf.toYaml())));
    }

    @ParameterizedTest
    @MethodSource("losses")
    void computationGraphConfigurationJsonRoundTrip(LossMultiTask loss) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .addLayer("out", new OutputLayer.Builder().lossFunction(loss).activation(Activation.IDENTITY)
                        .nIn(3).nOut(loss.nOut()).build(), "in")
                .setOutputs("out").build();
        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf, restored);
        OutputLayer layer = (OutputLayer) ((LayerVertex) restored.getVertices().get("out")).getLayerConf().getLayer();
        assertEquals(loss, layer.getLossFn());
    }

    @Test
    void modelSerializerRoundTripKeepsTheLossAndTheScore(@TempDir Path dir) throws Exception {
        LossMultiTask loss = MultiTaskData.head();
        MultiLayerNetwork net = new MultiLayerNetwork(network(loss));
        net.init();
        DataSet data = new DataSet(MultiTaskData.preOutput(10, 1, DataType.DOUBLE).getColumns(0, 1, 2),
                MultiTaskData.labels(10, 2, DataType.DOUBLE));
        net.fit(data);
        File file = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(loss, outputLoss(restored.getLayerWiseConfigurations()));
        assertEquals(net.score(data), restored.score(data), 1e-12);
        assertEquals(net.output(data.getFeatures()), restored.output(data.getFeatures()));
        restored.fit(data);
        assertTrue(Double.isFinite(restored.score()));
    }

    @ParameterizedTest
    @MethodSource("losses")
    void javaSerializationRestoresAWorkingLoss(LossMultiTask loss) throws Exception {
        LossMultiTask restored = assertInstanceOf(LossMultiTask.class, RoundTrips.javaRoundTrip(loss));
        assertEquals(loss.hashCode(), restored.hashCode());
    }

    @Test
    void equalityFollowsEveryPartOfEveryTask() {
        LossMultiTask base = MultiTaskData.head();
        assertEquals(base, MultiTaskData.head());
        assertEquals(base.hashCode(), MultiTaskData.head().hashCode());
        assertNotEquals(base, MultiTaskData.head(1.0, 5.0, 0.25, 0.5), "a task's loss parameter");
        assertNotEquals(base, MultiTaskData.head(1.0, 4.0, 0.25, 1.0), "a weight");
        LossMultiTask renamed = LossMultiTask.builder()
                .task("label", new LossCrossEntropy(), Activation.SOFTMAX, 0, 4, 1.0)
                .task("box", new LossSmoothL1(), Activation.IDENTITY, 4, 6, 5.0)
                .task("dist", new io.github.losskit.dl4j.LossKLDivergence(), Activation.SOFTMAX, 6, 9, 0.25)
                .build();
        assertNotEquals(base, renamed, "a name");
        LossMultiTask otherActivation = LossMultiTask.builder()
                .task("class", new LossCrossEntropy(), Activation.SOFTMAX, 0, 4, 1.0)
                .task("box", new LossSmoothL1(), Activation.TANH, 4, 6, 5.0)
                .task("dist", new io.github.losskit.dl4j.LossKLDivergence(), Activation.SOFTMAX, 6, 9, 0.25)
                .build();
        assertNotEquals(base, otherActivation, "an activation");
    }
}
