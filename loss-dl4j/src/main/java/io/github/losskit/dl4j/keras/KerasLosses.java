package io.github.losskit.dl4j.keras;

import io.github.losskit.dl4j.LossFocal;
import io.github.losskit.dl4j.LossHuber;
import io.github.losskit.dl4j.LossKLDivergence;
import io.github.losskit.dl4j.LossLogCosh;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasLossUtils;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * LossKit losses for DL4J's Keras model import ({@code deeplearning4j-modelimport}, which LossKit declares as
 * an optional dependency: add it to your own build to use this class).
 *
 * <p>{@link #register()} registers, with {@link KerasLossUtils#registerCustomLoss}, a LossKit loss for each
 * Keras loss name that DL4J 1.0.0-M2.1 does not map itself, configured with Keras' defaults:
 *
 * <table>
 *   <caption>Keras names and the LossKit losses registered for them</caption>
 *   <tr><th>Keras names</th><th>LossKit loss</th><th>Keras defaults matched</th></tr>
 *   <tr><td>{@code binary_focal_crossentropy}, {@code binaryfocalcrossentropy}</td>
 *       <td>{@code LossFocal.builder().gamma(2).noAlpha()}</td>
 *       <td>gamma = 2; {@code apply_class_balancing=False}, so no alpha factor</td></tr>
 *   <tr><td>{@code categorical_focal_crossentropy}, {@code categoricalfocalcrossentropy}</td>
 *       <td>{@code LossFocal.builder().gamma(2).alpha(0.25)}</td>
 *       <td>gamma = 2, a scalar alpha = 0.25 multiplying every class</td></tr>
 *   <tr><td>{@code huber}, {@code huber_loss}</td><td>{@code new LossHuber(1.0)}</td><td>delta = 1</td></tr>
 *   <tr><td>{@code log_cosh}, {@code logcosh}</td><td>{@code new LossLogCosh()}</td><td>no parameters</td></tr>
 *   <tr><td>{@code kl_divergence}</td><td>{@code new LossKLDivergence()}</td><td>targets are probabilities</td></tr>
 * </table>
 *
 * <p>The first name of each row is Keras' function name (and the {@code name} a Keras loss object stores in
 * its configuration), the second the lower-cased class name; DL4J lower-cases the name it reads before
 * looking it up. Names DL4J maps itself ({@code binary_crossentropy}, {@code categorical_crossentropy},
 * {@code hinge}, {@code squared_hinge}, {@code kld}, {@code kullback_leibler_divergence}, {@code mse}, ...)
 * are looked up before registered ones, so registering them would have no effect: those keep DL4J's
 * built-in losses.
 *
 * <p>DL4J reads only the loss's name from a Keras training configuration, never its parameters (gamma,
 * alpha, delta, {@code from_logits}, label smoothing): a model compiled with {@code Huber(delta=2.0)} gets the
 * loss registered under {@code huber_loss}. To import other parameters, register a configured loss under the
 * name yourself after calling {@code register()}, e.g.
 * {@code KerasLossUtils.registerCustomLoss("huber_loss", new LossHuber(2.0))}.
 *
 * <p>The Keras importer puts the model's last activation into the layer before the loss layer and gives the
 * loss layer an identity activation. The softmax and sigmoid losses of LossKit compute from logits and need
 * the activation on the loss layer itself; {@link #moveActivationIntoLossLayer(MultiLayerNetwork)} (and its
 * {@link ComputationGraph} overload) moves it there without changing what the network computes.
 */
public final class KerasLosses {

    private static final Map<String, ILossFunction> LOSSES = defaults();

    private KerasLosses() {
    }

    /**
     * The Keras loss names (lower case) and the LossKit loss {@link #register()} registers for each, in a
     * fixed order. The map cannot be modified; the losses are immutable and shared by every model imported
     * after {@code register()}.
     */
    public static Map<String, ILossFunction> losses() {
        return LOSSES;
    }

    private static Map<String, ILossFunction> defaults() {
        Map<String, ILossFunction> losses = new LinkedHashMap<>();
        // Keras BinaryFocalCrossentropy: apply_class_balancing=False by default, so alpha is not applied
        ILossFunction binaryFocal = LossFocal.builder().gamma(2).noAlpha().build();
        losses.put("binary_focal_crossentropy", binaryFocal);
        losses.put("binaryfocalcrossentropy", binaryFocal);
        // Keras CategoricalFocalCrossentropy: a scalar alpha = 0.25 multiplies every class, as in LossFocal
        ILossFunction categoricalFocal = LossFocal.builder().gamma(2).alpha(0.25).build();
        losses.put("categorical_focal_crossentropy", categoricalFocal);
        losses.put("categoricalfocalcrossentropy", categoricalFocal);
        // the function is huber; a Huber object stores its default name huber_loss
        ILossFunction huber = new LossHuber(1.0);
        losses.put("huber", huber);
        losses.put("huber_loss", huber);
        ILossFunction logCosh = new LossLogCosh();
        losses.put("log_cosh", logCosh);
        losses.put("logcosh", logCosh);
        // DL4J maps kld, kullback_leibler_divergence and kldivergence to its LossKLD, but not this alias
        losses.put("kl_divergence", new LossKLDivergence());
        return Collections.unmodifiableMap(losses);
    }

    /**
     * Registers every loss of {@link #losses()} with DL4J's Keras importer. Call it before importing; calling
     * it again replaces the registrations (also one made with {@code KerasLossUtils.registerCustomLoss} under
     * the same name) with LossKit's defaults. {@code KerasLossUtils.clearCustomLoss()} removes them all.
     */
    public static void register() {
        losses().forEach(KerasLossUtils::registerCustomLoss);
    }

    /**
     * A network equal to {@code network} except that, for each loss layer ({@code LossLayer},
     * {@code RnnLossLayer}, {@code CnnLossLayer}) with an identity activation directly after a
     * {@code DenseLayer} or {@code ActivationLayer} whose activation is sigmoid or softmax, that activation is
     * moved from the earlier layer into the loss layer. The parameters and the output are those of
     * {@code network} (the activation is applied at the same point of the computation); only now the loss
     * receives the logits, which LossKit's softmax and sigmoid losses need. Parameters are copied when {@code network} has been
     * initialised; updater state is not (an imported network has none). Returns {@code network} itself when
     * there is nothing to move.
     */
    public static MultiLayerNetwork moveActivationIntoLossLayer(MultiLayerNetwork network) {
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations().clone();
        boolean moved = false;
        for (int i = 1; i < conf.getConfs().size(); i++) {
            moved |= move(conf.getConf(i - 1).getLayer(), conf.getConf(i).getLayer());
        }
        if (!moved) {
            return network;
        }
        MultiLayerNetwork result = new MultiLayerNetwork(conf);
        if (network.params() != null) {
            result.init(network.params().dup(), false);
        }
        return result;
    }

    /**
     * The {@link ComputationGraph} form of {@link #moveActivationIntoLossLayer(MultiLayerNetwork)}: the
     * activation is moved only when the earlier layer feeds nothing but the loss layer, so that no other
     * vertex sees a changed input.
     */
    public static ComputationGraph moveActivationIntoLossLayer(ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        Map<String, GraphVertex> vertices = conf.getVertices();
        boolean moved = false;
        for (Map.Entry<String, List<String>> entry : conf.getVertexInputs().entrySet()) {
            List<String> inputs = entry.getValue();
            if (inputs.size() != 1 || consumers(conf, inputs.get(0)) != 1) {
                continue;
            }
            Layer before = layerOf(vertices.get(inputs.get(0)));
            Layer loss = layerOf(vertices.get(entry.getKey()));
            if (before != null && loss != null) {
                moved |= move(before, loss);
            }
        }
        if (!moved) {
            return graph;
        }
        ComputationGraph result = new ComputationGraph(conf);
        if (graph.params() != null) {
            result.init(graph.params().dup(), false);
        }
        return result;
    }

    /** How many vertices (and network outputs) read the output of {@code vertex}. */
    private static int consumers(ComputationGraphConfiguration conf, String vertex) {
        int count = Collections.frequency(conf.getNetworkOutputs(), vertex);
        for (List<String> inputs : conf.getVertexInputs().values()) {
            count += Collections.frequency(inputs, vertex);
        }
        return count;
    }

    private static Layer layerOf(GraphVertex vertex) {
        return vertex instanceof LayerVertex layerVertex ? layerVertex.getLayerConf().getLayer() : null;
    }

    /** Moves a sigmoid or softmax from {@code before} into the loss layer {@code loss}; true if it did. */
    private static boolean move(Layer before, Layer loss) {
        boolean lossLayer = loss instanceof LossLayer || loss instanceof RnnLossLayer || loss instanceof CnnLossLayer;
        if (!lossLayer || !(((BaseLayer) loss).getActivationFn() instanceof ActivationIdentity)) {
            return false;
        }
        IActivation activation;
        if (before instanceof DenseLayer dense) {
            activation = dense.getActivationFn();
        } else if (before instanceof ActivationLayer activationLayer) {
            activation = activationLayer.getActivationFn();
        } else {
            return false;
        }
        if (!(activation instanceof ActivationSigmoid || activation instanceof ActivationSoftmax)) {
            return false;
        }
        if (before instanceof DenseLayer dense) {
            dense.setActivationFn(new ActivationIdentity());
        } else {
            ((ActivationLayer) before).setActivationFn(new ActivationIdentity());
        }
        ((BaseLayer) loss).setActivationFn(activation);
        return true;
    }
}
