package io.github.losskit.dl4j.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.dl4j.LossFocal;
import io.github.losskit.dl4j.LossHuber;
import io.github.losskit.dl4j.LossKLDivergence;
import io.github.losskit.dl4j.LossLogCosh;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasModel;
import org.deeplearning4j.nn.modelimport.keras.KerasSequentialModel;
import org.deeplearning4j.nn.modelimport.keras.config.Keras2LayerConfiguration;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasLossUtils;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * KerasLosses with DL4J's Keras importer: Keras model configurations are written here as JSON (as Keras 2 saves
 * them in a model file), so nothing is downloaded and no HDF5 library is needed.
 */
class KerasLossesTest {

    private static final IActivation SIGMOID = new ActivationSigmoid();
    private static final IActivation SOFTMAX = new ActivationSoftmax();
    private static final IActivation IDENTITY = new ActivationIdentity();

    @AfterEach
    void clearRegistrations() {
        KerasLossUtils.clearCustomLoss();
    }

    /** A Keras 2 Dense layer configuration. */
    private static String dense(String name, int units, String activation, String inbound) {
        return """
                {"class_name": "Dense", "name": "%s", "inbound_nodes": %s, "config": {"name": "%s",
                 "trainable": true, "dtype": "float32", "units": %d, "activation": "%s", "use_bias": true,
                 "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}},
                 "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null,
                 "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null,
                 "bias_constraint": null}}""".formatted(name, inbound, name, units, activation);
    }

    /** The JSON of a Keras 2 Sequential model: 4 inputs, a ReLU Dense layer, then Dense(outputs, activation). */
    static String sequentialModel(int outputs, String activation) {
        return """
                {"class_name": "Sequential", "keras_version": "2.11.0", "backend": "tensorflow",
                 "config": {"name": "sequential", "layers": [
                   {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4], "dtype": "float32",
                    "sparse": false, "ragged": false, "name": "input"}},
                   %s,
                   %s]}}""".formatted(dense("hidden", 8, "relu", "[]"), dense("out", outputs, activation, "[]"));
    }

    /** The JSON of the same model built with Keras' functional API. */
    static String functionalModel(int outputs, String activation) {
        return """
                {"class_name": "Functional", "keras_version": "2.11.0", "backend": "tensorflow",
                 "config": {"name": "model", "layers": [
                   {"class_name": "InputLayer", "name": "input", "inbound_nodes": [],
                    "config": {"batch_input_shape": [null, 4], "dtype": "float32", "sparse": false,
                    "ragged": false, "name": "input"}},
                   %s,
                   %s],
                  "input_layers": [["input", 0, 0]], "output_layers": [["out", 0, 0]]}}"""
                .formatted(dense("hidden", 8, "relu", "[[[\"input\", 0, 0, {}]]]"),
                        dense("out", outputs, activation, "[[[\"hidden\", 0, 0, {}]]]"));
    }

    /** A Keras 2 training configuration, as {@code model.save} writes it; {@code loss} is JSON. */
    static String trainingConfig(String loss) {
        return """
                {"loss": %s, "metrics": [], "loss_weights": null, "weighted_metrics": null,
                 "optimizer_config": {"class_name": "Adam", "config": {"name": "Adam", "learning_rate": 0.01,
                 "decay": 0.0, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": false}}}"""
                .formatted(loss);
    }

    static MultiLayerNetwork importSequential(String modelJson, String trainingJson) throws Exception {
        KerasSequentialModel model = new KerasSequentialModel().modelBuilder().modelJson(modelJson)
                .trainingJson(trainingJson).enforceTrainingConfig(true).buildSequential();
        // no weights in a JSON configuration: the network is initialised randomly
        return model.getMultiLayerNetwork(false);
    }

    static ComputationGraph importFunctional(String modelJson, String trainingJson) throws Exception {
        KerasModel model = new KerasModel().modelBuilder().modelJson(modelJson).trainingJson(trainingJson)
                .enforceTrainingConfig(true).buildModel();
        return model.getComputationGraph(false);
    }

    private static LossLayer lastLayer(MultiLayerNetwork net) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        return (LossLayer) conf.getConf(conf.getConfs().size() - 1).getLayer();
    }

    private static IActivation activationOfLayer(MultiLayerNetwork net, int index) {
        Layer layer = net.getLayerWiseConfigurations().getConf(index).getLayer();
        return layer instanceof ActivationLayer a ? a.getActivationFn() : ((BaseLayer) layer).getActivationFn();
    }

    private static DataSet multiLabel(int rows, int outputs, long seed) {
        Random random = new Random(seed);
        double[][] x = new double[rows][4];
        double[][] y = new double[rows][outputs];
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < 4; f++) {
                x[r][f] = random.nextGaussian();
            }
            for (int k = 0; k < outputs; k++) {
                y[r][k] = x[r][k % 4] + 0.3 * x[r][(k + 1) % 4] > 0.5 ? 1 : 0;
            }
        }
        return new DataSet(Nd4j.createFromArray(x).castTo(DataType.FLOAT),
                Nd4j.createFromArray(y).castTo(DataType.FLOAT));
    }

    @Test
    void registeredNamesAreLowerCaseAndUnknownToDl4jItself() throws Exception {
        Keras2LayerConfiguration conf = new Keras2LayerConfiguration();
        KerasLossUtils.clearCustomLoss();
        for (String name : KerasLosses.losses().keySet()) {
            assertEquals(name.toLowerCase(Locale.ROOT), name, "DL4J lower-cases the name before the lookup");
            // DL4J's own names are looked up first: a registration under one of them would never be used
            assertThrows(UnsupportedKerasConfigurationException.class, () -> KerasLossUtils.mapLossFunction(name,
                    conf), name + " is mapped by DL4J itself");
        }
        KerasLosses.register();
        for (Map.Entry<String, ILossFunction> entry : KerasLosses.losses().entrySet()) {
            assertSame(entry.getValue(), KerasLossUtils.mapLossFunction(entry.getKey(), conf), entry.getKey());
            // Keras' class names, e.g. "BinaryFocalCrossentropy", are found too: DL4J lower-cases them
            assertSame(entry.getValue(), KerasLossUtils.mapLossFunction(entry.getKey().toUpperCase(Locale.ROOT),
                    conf), entry.getKey());
        }
        assertInstanceOf(LossBinaryXENT.class, KerasLossUtils.mapLossFunction("binary_crossentropy", conf),
                "names DL4J maps keep DL4J's losses");
        assertInstanceOf(LossMCXENT.class, KerasLossUtils.mapLossFunction("categorical_crossentropy", conf));
    }

    @Test
    void theRegisteredLossesHaveKerasDefaults() {
        Map<String, ILossFunction> losses = KerasLosses.losses();
        assertEquals(LossFocal.builder().gamma(2).noAlpha().build(), losses.get("binary_focal_crossentropy"));
        assertEquals(LossFocal.builder().gamma(2).alpha(0.25).build(), losses.get("categorical_focal_crossentropy"));
        assertEquals(new LossHuber(1.0), losses.get("huber"));
        assertEquals(new LossHuber(1.0), losses.get("huber_loss"));
        assertEquals(new LossLogCosh(), losses.get("log_cosh"));
        assertEquals(new LossKLDivergence(), losses.get("kl_divergence"));
        assertEquals(List.of("binary_focal_crossentropy", "binaryfocalcrossentropy", "categorical_focal_crossentropy",
                "categoricalfocalcrossentropy", "huber", "huber_loss", "log_cosh", "logcosh", "kl_divergence"),
                List.copyOf(losses.keySet()));
        assertThrows(UnsupportedOperationException.class, () -> losses.put("x", new LossLogCosh()));
    }

    @Test
    void aSequentialModelWithBinaryFocalCrossentropyImportsWithLossFocalAndTrainsOnceTheSigmoidIsMoved()
            throws Exception {
        KerasLosses.register();
        MultiLayerNetwork imported = importSequential(sequentialModel(3, "sigmoid"),
                trainingConfig("\"binary_focal_crossentropy\""));

        LossLayer lossLayer = lastLayer(imported);
        assertEquals(LossFocal.builder().gamma(2).noAlpha().build(), lossLayer.getLossFn());
        // the importer keeps the sigmoid in the Dense layer and gives the loss layer an identity activation,
        // which a loss computing from logits cannot use
        assertInstanceOf(ActivationSigmoid.class, activationOfLayer(imported, 1));
        assertInstanceOf(ActivationIdentity.class, lossLayer.getActivationFn());
        DataSet data = multiLabel(64, 3, 7);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> imported.score(data));
        assertTrue(refused.getMessage().contains("Move the activation into the output layer"), refused.getMessage());

        MultiLayerNetwork net = KerasLosses.moveActivationIntoLossLayer(imported);
        assertInstanceOf(ActivationIdentity.class, activationOfLayer(net, 1));
        assertInstanceOf(ActivationSigmoid.class, activationOfLayer(net, 2));
        assertEquals(imported.params(), net.params());
        assertTrue(imported.output(data.getFeatures()).equalsWithEps(net.output(data.getFeatures()), 1e-6),
                "the network computes the same function");
        assertInstanceOf(ActivationSigmoid.class, activationOfLayer(imported, 1), "the argument is not modified");

        // the score is LossFocal's on the logits, divided by the minibatch size
        INDArray logits = net.feedForwardToLayer(1, data.getFeatures(), false).get(2);
        double expected = lossLayer.getLossFn().computeScore(data.getLabels(), logits, SIGMOID, null, false) / 64;
        assertEquals(expected, net.score(data), 1e-5);

        double before = net.score(data);
        for (int i = 0; i < 60; i++) {
            net.fit(data);
        }
        double after = net.score(data);
        assertTrue(Double.isFinite(after) && after < 0.8 * before, before + " -> " + after);
    }

    @Test
    void aSoftmaxInASeparateActivationLayerIsMovedToo() throws Exception {
        KerasLosses.register();
        String model = sequentialModel(3, "linear").replaceFirst("]}}$", """
                , {"class_name": "Activation", "config": {"name": "probabilities", "trainable": true,
                   "dtype": "float32", "activation": "softmax"}}]}}""");
        MultiLayerNetwork imported = importSequential(model, trainingConfig("\"categorical_focal_crossentropy\""));
        assertEquals(4, imported.getnLayers(), "dense, dense, activation, loss");
        MultiLayerNetwork net = KerasLosses.moveActivationIntoLossLayer(imported);
        assertInstanceOf(ActivationIdentity.class, activationOfLayer(net, 2));
        assertInstanceOf(ActivationSoftmax.class, activationOfLayer(net, 3));
        DataSet data = multiLabel(16, 3, 3);
        assertTrue(imported.output(data.getFeatures()).equalsWithEps(net.output(data.getFeatures()), 1e-6));
        assertTrue(Double.isFinite(net.score(data)));
    }

    @Test
    void aFunctionalModelWithCategoricalFocalCrossentropyImportsAsAComputationGraph() throws Exception {
        KerasLosses.register();
        // a Keras loss object: DL4J reads its name, not its parameters
        String loss = """
                {"class_name": "CategoricalFocalCrossentropy", "config": {"name": "categorical_focal_crossentropy",
                 "alpha": 0.25, "gamma": 2.0, "from_logits": false, "label_smoothing": 0.0, "axis": -1,
                 "reduction": "auto"}}""";
        ComputationGraph imported = importFunctional(functionalModel(3, "softmax"), trainingConfig(loss));
        ComputationGraph graph = KerasLosses.moveActivationIntoLossLayer(imported);
        assertNotEquals(imported.getConfiguration(), graph.getConfiguration());

        LossLayer lossLayer = null;
        for (var vertex : graph.getConfiguration().getVertices().values()) {
            if (vertex instanceof LayerVertex layerVertex && layerVertex.getLayerConf().getLayer() instanceof LossLayer l) {
                lossLayer = l;
            }
        }
        assertTrue(lossLayer != null, "a loss layer was imported");
        assertEquals(LossFocal.builder().gamma(2).alpha(0.25).build(), lossLayer.getLossFn());
        assertInstanceOf(ActivationSoftmax.class, lossLayer.getActivationFn());

        DataSet data = multiLabel(32, 3, 5);
        INDArray oneHot = Nd4j.zeros(DataType.FLOAT, 32, 3);
        for (int r = 0; r < 32; r++) {
            oneHot.putScalar(r, r % 3, 1.0);
        }
        assertTrue(imported.outputSingle(data.getFeatures()).equalsWithEps(graph.outputSingle(data.getFeatures()),
                1e-6));
        DataSet classes = new DataSet(data.getFeatures(), oneHot);
        double before = graph.score(classes);
        for (int i = 0; i < 100; i++) {
            graph.fit(classes);
        }
        assertTrue(graph.score(classes) < before, before + " -> " + graph.score(classes));
    }

    @Test
    void huberNeedsNoMoveAndIgnoresTheKerasDelta() throws Exception {
        KerasLosses.register();
        String huberObject = """
                {"class_name": "Huber", "config": {"name": "huber_loss", "delta": 2.0, "reduction": "auto"}}""";
        MultiLayerNetwork imported = importSequential(sequentialModel(2, "linear"), trainingConfig(huberObject));
        assertEquals(new LossHuber(1.0), lastLayer(imported).getLossFn(),
                "DL4J passes only the name on: delta 2 of the Keras object is not seen");
        assertSame(imported, KerasLosses.moveActivationIntoLossLayer(imported), "nothing to move");

        // the documented workaround: register the configured loss under the name after register()
        KerasLossUtils.registerCustomLoss("huber_loss", new LossHuber(2.0));
        MultiLayerNetwork configured = importSequential(sequentialModel(2, "linear"), trainingConfig(huberObject));
        assertEquals(new LossHuber(2.0), lastLayer(configured).getLossFn());
    }

    /** Sequential import reads the training configuration, the loss included, only when it is enforced. */
    @Test
    void withoutEnforcedTrainingConfigurationTheLossIsNotImportedAtAll() throws Exception {
        KerasLossUtils.clearCustomLoss();
        KerasSequentialModel model = new KerasSequentialModel().modelBuilder().modelJson(sequentialModel(2, "linear"))
                .trainingJson(trainingConfig("\"log_cosh\"")).enforceTrainingConfig(false).buildSequential();
        MultiLayerConfiguration conf = model.getMultiLayerNetwork(false).getLayerWiseConfigurations();
        assertEquals(2, conf.getConfs().size(), "the two Dense layers, no loss layer");
        assertInstanceOf(DenseLayer.class, conf.getConf(1).getLayer());
    }

    @Test
    void withoutRegistrationTheImportFails() {
        KerasLossUtils.clearCustomLoss();
        Exception e = assertThrows(UnsupportedKerasConfigurationException.class, () -> importSequential(
                sequentialModel(2, "linear"), trainingConfig("\"log_cosh\"")));
        assertTrue(e.getMessage().contains("log_cosh"), e.getMessage());
    }

    // ---- the registered defaults against Keras' formulas, written out from the Keras documentation ----

    private static final double[][] PROBABILITY_LOGITS = {{1.5, -0.5, 0.2}, {-2.0, 3.0, 0.1}, {0.3, -0.1, -1.2}};
    private static final double[][] BINARY_LABELS = {{1, 0, 1}, {0, 0, 1}, {1, 1, 0}};
    private static final double[][] ONE_HOT = {{1, 0, 0}, {0, 0, 1}, {0, 1, 0}};

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static double[] perExample(ILossFunction loss, double[][] labels, double[][] preOutput,
            IActivation activation) {
        return loss.computeScoreArray(Nd4j.createFromArray(labels), Nd4j.createFromArray(preOutput), activation,
                null).toDoubleVector();
    }

    /**
     * keras.losses.binary_focal_crossentropy(y, p, gamma=2) with apply_class_balancing=False: per output
     * (1 - p_t)^gamma * BCE, then the mean over the last axis. LossKit sums over the outputs instead.
     */
    @Test
    void binaryFocalIsKerasTimesTheNumberOfOutputs() {
        double[] lossKit = perExample(KerasLosses.losses().get("binary_focal_crossentropy"), BINARY_LABELS,
                PROBABILITY_LOGITS, SIGMOID);
        for (int n = 0; n < 3; n++) {
            double keras = 0;
            for (int k = 0; k < 3; k++) {
                double p = sigmoid(PROBABILITY_LOGITS[n][k]);
                double y = BINARY_LABELS[n][k];
                double bce = -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
                double pt = y * p + (1 - y) * (1 - p);
                keras += Math.pow(1 - pt, 2) * bce / 3;
            }
            assertEquals(3 * keras, lossKit[n], 1e-12, "example " + n);
        }
    }

    /**
     * keras.losses.categorical_focal_crossentropy(y, p, alpha=0.25, gamma=2): -sum_c alpha (1 - p_c)^gamma
     * y_c log p_c over the last axis, the same per example as LossKit.
     */
    @Test
    void categoricalFocalEqualsKeras() {
        double[] lossKit = perExample(KerasLosses.losses().get("categorical_focal_crossentropy"), ONE_HOT,
                PROBABILITY_LOGITS, SOFTMAX);
        for (int n = 0; n < 3; n++) {
            double[] z = PROBABILITY_LOGITS[n];
            double sum = Math.exp(z[0]) + Math.exp(z[1]) + Math.exp(z[2]);
            double keras = 0;
            for (int c = 0; c < 3; c++) {
                double p = Math.exp(z[c]) / sum;
                keras -= 0.25 * Math.pow(1 - p, 2) * ONE_HOT[n][c] * Math.log(p);
            }
            assertEquals(keras, lossKit[n], 1e-12, "example " + n);
        }
    }

    /** keras.losses.huber(y, p, delta=1) and log_cosh(y, p) average over the last axis; LossKit sums. */
    @Test
    void huberAndLogCoshAreKerasTimesTheNumberOfOutputs() {
        double[][] labels = {{0.5, -1.0, 2.0}, {1.0, 0.0, 0.0}};
        double[][] predictions = {{1.5, -0.5, -1.0}, {0.2, 3.0, 0.05}};
        double[] huber = perExample(KerasLosses.losses().get("huber"), labels, predictions, IDENTITY);
        double[] logCosh = perExample(KerasLosses.losses().get("log_cosh"), labels, predictions, IDENTITY);
        for (int n = 0; n < 2; n++) {
            double kerasHuber = 0;
            double kerasLogCosh = 0;
            for (int k = 0; k < 3; k++) {
                double d = predictions[n][k] - labels[n][k];
                kerasHuber += (Math.abs(d) <= 1 ? 0.5 * d * d : Math.abs(d) - 0.5) / 3;
                // Keras: x + softplus(-2x) - log(2)
                kerasLogCosh += (d + Math.log1p(Math.exp(-2 * d)) - Math.log(2)) / 3;
            }
            assertEquals(3 * kerasHuber, huber[n], 1e-12, "huber, example " + n);
            assertEquals(3 * kerasLogCosh, logCosh[n], 1e-12, "log_cosh, example " + n);
        }
    }
}
