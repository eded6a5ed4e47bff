package io.github.losskit.dl4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The serialization round trips every loss must survive: configuration JSON (both network kinds),
 * ModelSerializer and Java serialization. Shared by the per-output and the metric serialization tests.
 */
public final class RoundTrips {

    private RoundTrips() {
    }

    /** 3 inputs, a tanh layer of 4, and an output layer with the loss. */
    public static MultiLayerConfiguration network(ILossFunction loss, IActivation activation, int outputs) {
        return new NeuralNetConfiguration.Builder().seed(7).updater(new Adam(0.01)).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder().lossFunction(loss).activation(activation).nIn(4).nOut(outputs)
                        .build())
                .build();
    }

    public static ILossFunction outputLoss(MultiLayerConfiguration conf) {
        return ((OutputLayer) conf.getConf(1).getLayer()).getLossFn();
    }

    /** The loss survives MultiLayerConfiguration JSON, which names its class. */
    public static void assertMultiLayerJsonRoundTrip(Supplier<ILossFunction> loss, IActivation activation,
            int outputs) {
        MultiLayerConfiguration conf = network(loss.get(), activation, outputs);
        String json = conf.toJson();
        assertTrue(json.contains(loss.get().getClass().getName()), "JSON names the loss class");
        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(json);
        assertEquals(loss.get(), outputLoss(restored));
        assertEquals(conf, restored);
    }

    /** The loss survives ComputationGraphConfiguration JSON. */
    public static void assertGraphJsonRoundTrip(Supplier<ILossFunction> loss, IActivation activation, int outputs) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .addLayer("out", new OutputLayer.Builder().lossFunction(loss.get()).activation(activation)
                        .nIn(3).nOut(outputs).build(), "in")
                .setOutputs("out").build();
        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf, restored);
        OutputLayer layer = (OutputLayer) ((LayerVertex) restored.getVertices().get("out")).getLayerConf().getLayer();
        assertEquals(loss.get(), layer.getLossFn());
    }

    /**
     * A network with the loss, fitted once on {@code data}, is written and restored by ModelSerializer with the
     * same loss, score and output.
     */
    public static void assertModelSerializerRoundTrip(Supplier<ILossFunction> loss, IActivation activation,
            int outputs, DataSet data, Path dir) throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(network(loss.get(), activation, outputs));
        net.init();
        net.fit(data);
        File file = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(loss.get(), outputLoss(restored.getLayerWiseConfigurations()));
        assertEquals(net.score(data), restored.score(data), 1e-12);
        assertEquals(net.output(data.getFeatures()), restored.output(data.getFeatures()));
    }

    /** {@code loss} written and read back by Java serialization; equal to the original. */
    public static ILossFunction javaRoundTrip(ILossFunction loss) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(loss);
        }
        ILossFunction restored;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            restored = assertInstanceOf(ILossFunction.class, in.readObject());
        }
        assertEquals(loss, restored);
        return restored;
    }
}
