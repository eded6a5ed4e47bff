package io.github.losskit.samediff.metric;

import io.github.losskit.core.metric.Contrastive;
import io.github.losskit.core.metric.Triplet;
import io.github.losskit.samediff.SDLosses;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One metric loss in a fresh graph: labels as a constant, embeddings as the only trainable variable, so that
 * autodiff gives the gradient of the loss with respect to the embeddings.
 */
final class MetricGraph {

    static final String LOSS = "loss";
    static final String EMBEDDINGS = "embeddings";

    final SameDiff sd = SameDiff.create();
    final SDVariable loss;

    /** @param config a {@link Contrastive} or a {@link Triplet} */
    MetricGraph(Object config, INDArray labels, INDArray embeddings) {
        SDVariable labelsConstant = sd.constant("labels", labels);
        SDVariable embeddingsVariable = sd.var(EMBEDDINGS, embeddings.dup());
        loss = build(new SDLosses(sd), config, labelsConstant, embeddingsVariable);
    }

    static SDVariable build(SDLosses losses, Object config, SDVariable labels, SDVariable embeddings) {
        if (config instanceof Contrastive contrastive) {
            return losses.contrastive(LOSS, labels, embeddings, contrastive);
        }
        return losses.triplet(LOSS, labels, embeddings, (Triplet) config);
    }

    /** The scalar loss and its gradient with respect to the embeddings. */
    record Result(double value, INDArray gradient) {
    }

    Result evaluate() {
        OutAndGrad both = sd.calculateGradientsAndOutputs(Map.of(), List.of(LOSS), List.of(EMBEDDINGS));
        INDArray value = both.getOutputs().get(LOSS);
        if (value.length() != 1) {
            throw new AssertionError("the loss is not a scalar: shape " + java.util.Arrays.toString(value.shape()));
        }
        return new Result(value.getDouble(0), both.getGradients().get(EMBEDDINGS));
    }

    static Result evaluate(Object config, INDArray labels, INDArray embeddings) {
        return new MetricGraph(config, labels, embeddings).evaluate();
    }
}
