package io.github.losskit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.dl4j.LossFocal;
import io.github.losskit.dl4j.LossHuber;
import io.github.losskit.dl4j.keras.KerasLosses;
import java.util.Random;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.modelimport.keras.KerasSequentialModel;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasLossUtils;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The snippets of docs/keras.md. The Keras model is given as the JSON that Keras' {@code model.to_json()}
 * writes and the training configuration as {@code model.save} stores it, so the test needs no model file.
 */
class KerasSnippetsTest {

    @AfterEach
    void clearRegistrations() {
        KerasLossUtils.clearCustomLoss();
    }

    private static String dense(String name, int units, String activation) {
        return """
                {"class_name": "Dense", "config": {"name": "%s", "trainable": true, "dtype": "float32",
                 "units": %d, "activation": "%s", "use_bias": true,
                 "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}},
                 "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null,
                 "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null,
                 "bias_constraint": null}}""".formatted(name, units, activation);
    }

    /** keras.Sequential([Input((4,)), Dense(16, "relu"), Dense(outputs, activation)]).to_json() */
    static String modelJson(int outputs, String activation) {
        return """
                {"class_name": "Sequential", "keras_version": "2.11.0", "backend": "tensorflow",
                 "config": {"name": "sequential", "layers": [
                   {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4], "dtype": "float32",
                    "sparse": false, "ragged": false, "name": "input"}},
                   %s, %s]}}""".formatted(dense("hidden", 16, "relu"), dense("out", outputs, activation));
    }

    static String trainingJson(String loss) {
        return """
                {"loss": %s, "metrics": [], "loss_weights": null, "weighted_metrics": null,
                 "optimizer_config": {"class_name": "Adam", "config": {"name": "Adam", "learning_rate": 0.01,
                 "decay": 0.0, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": false}}}"""
                .formatted(loss);
    }

    private static DataSet multiLabel(int rows) {
        Random random = new Random(17);
        INDArray x = Nd4j.zeros(DataType.FLOAT, rows, 4);
        INDArray y = Nd4j.zeros(DataType.FLOAT, rows, 3);
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < 4; f++) {
                x.putScalar(r, f, random.nextGaussian());
            }
            for (int k = 0; k < 3; k++) {
                y.putScalar(r, k, x.getDouble(r, k) + 0.5 * x.getDouble(r, 3) > 0.8 ? 1 : 0);
            }
        }
        return new DataSet(x, y);
    }

    @Test
    void importModel() throws Exception {
        // what Keras wrote for model.compile(loss="binary_focal_crossentropy") with a sigmoid output layer
        String modelJson = modelJson(3, "sigmoid");
        String trainingJson = trainingJson("\"binary_focal_crossentropy\"");
        DataSet trainingData = multiLabel(128);

        // region: importModel
        KerasLosses.register();   // once, before importing

        MultiLayerNetwork imported = new KerasSequentialModel().modelBuilder()
                .modelJson(modelJson)           // model.to_json()
                .trainingJson(trainingJson)     // the training configuration, with the loss's name
                .enforceTrainingConfig(true)    // without it, the loss is not imported at all
                .buildSequential()
                .getMultiLayerNetwork(false);   // false: no weights in JSON, initialise them

        // the loss needs the logits: move the sigmoid from the last Dense layer into the loss layer
        MultiLayerNetwork net = KerasLosses.moveActivationIntoLossLayer(imported);
        for (int epoch = 0; epoch < 50; epoch++) {
            net.fit(trainingData);
        }
        // endregion

        LossLayer lossLayer = (LossLayer) net.getLayerWiseConfigurations().getConf(2).getLayer();
        assertEquals(LossFocal.builder().gamma(2).noAlpha().build(), lossLayer.getLossFn());
        assertInstanceOf(ActivationSigmoid.class, lossLayer.getActivationFn());
        assertInstanceOf(ActivationIdentity.class,
                ((BaseLayer) net.getLayerWiseConfigurations().getConf(1).getLayer()).getActivationFn());
        assertInstanceOf(ActivationIdentity.class, ((BaseLayer) imported.getLayerWiseConfigurations().getConf(2)
                .getLayer()).getActivationFn(), "as imported, the loss layer has no activation");
        // imported itself is unchanged and untrained: moved again, it scores the initial parameters
        double before = KerasLosses.moveActivationIntoLossLayer(imported).score(trainingData);
        double after = net.score(trainingData);
        assertTrue(after < 0.7 * before, before + " -> " + after);
    }

    private static MultiLayerNetwork freshImport(String modelJson, String trainingJson) throws Exception {
        return new KerasSequentialModel().modelBuilder().modelJson(modelJson).trainingJson(trainingJson)
                .enforceTrainingConfig(true).buildSequential().getMultiLayerNetwork(false);
    }

    @Test
    void fromLogits() throws Exception {
        // model.compile(loss=keras.losses.BinaryFocalCrossentropy(from_logits=True)): a linear last layer
        String trainingJson = trainingJson("""
                {"class_name": "BinaryFocalCrossentropy", "config": {"name": "binary_focal_crossentropy",
                 "apply_class_balancing": false, "alpha": 0.25, "gamma": 2.0, "from_logits": true,
                 "label_smoothing": 0.0, "axis": -1, "reduction": "auto"}}""");
        KerasLosses.register();
        MultiLayerNetwork net = freshImport(modelJson(3, "linear"), trainingJson);
        DataSet trainingData = multiLabel(64);
        INDArray logits = net.output(trainingData.getFeatures());

        // region: fromLogits
        // from_logits=True: there is no activation to move; give the loss layer the one the loss implies
        LossLayer lossLayer = (LossLayer) net.getLayerWiseConfigurations().getConf(2).getLayer();
        lossLayer.setActivationFn(new ActivationSigmoid());
        // endregion

        INDArray probabilities = net.output(trainingData.getFeatures());
        assertTrue(Transforms.sigmoid(logits, true).equalsWithEps(probabilities, 1e-6),
                "the network now outputs probabilities where the Keras model output logits");
        double before = net.score(trainingData);
        for (int epoch = 0; epoch < 50; epoch++) {
            net.fit(trainingData);
        }
        assertTrue(net.score(trainingData) < 0.7 * before, before + " -> " + net.score(trainingData));
    }

    @Test
    void otherParameters() throws Exception {
        // model.compile(loss=keras.losses.Huber(delta=2.0)) stores a loss object; DL4J reads only its name
        String trainingJson = trainingJson("""
                {"class_name": "Huber", "config": {"name": "huber_loss", "delta": 2.0, "reduction": "auto"}}""");

        // region: otherParameters
        KerasLosses.register();
        // DL4J reads the loss's name, not its parameters: register the configured loss under that name
        KerasLossUtils.registerCustomLoss("huber_loss", new LossHuber(2.0));
        // endregion

        MultiLayerNetwork net = freshImport(modelJson(2, "linear"), trainingJson);
        LossLayer lossLayer = (LossLayer) net.getLayerWiseConfigurations().getConf(2).getLayer();
        assertEquals(new LossHuber(2.0), lossLayer.getLossFn());
        assertTrue(net == KerasLosses.moveActivationIntoLossLayer(net), "a linear output needs no move");

        KerasLosses.register();
        LossLayer defaults = (LossLayer) freshImport(modelJson(2, "linear"), trainingJson).getLayerWiseConfigurations()
                .getConf(2).getLayer();
        assertEquals(new LossHuber(1.0), defaults.getLossFn(), "without it, Keras' default delta 1 is used");
    }
}
