package io.github.losskit.samediff;

import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One loss in a fresh graph: labels and weights as constants, logits as the only trainable variable, so
 * that autodiff gives the gradient with respect to the logits.
 */
final class LossGraph {

    static final String LOSS = "loss";
    static final String LOGITS = "logits";

    final SameDiff sd = SameDiff.create();
    final SDVariable loss;

    LossGraph(LossCase lossCase, INDArray labels, INDArray logits, INDArray weights, LossReduce reduce) {
        SDVariable labelsConstant = sd.constant("labels", labels);
        SDVariable logitsVariable = sd.var(LOGITS, logits.dup());
        SDVariable weightsConstant = weights == null ? null : sd.constant("weights", weights);
        loss = lossCase.build(new SDLosses(sd), LOSS, labelsConstant, logitsVariable, weightsConstant, reduce);
    }

    /** The loss's value and its gradient with respect to the logits (of its sum, when it is not a scalar). */
    record Result(INDArray value, INDArray gradient) {
    }

    Result evaluate() {
        OutAndGrad both = sd.calculateGradientsAndOutputs(Map.of(), List.of(LOSS), List.of(LOGITS));
        return new Result(both.getOutputs().get(LOSS), both.getGradients().get(LOGITS));
    }

    static Result evaluate(LossCase lossCase, INDArray labels, INDArray logits, INDArray weights,
            LossReduce reduce) {
        return new LossGraph(lossCase, labels, logits, weights, reduce).evaluate();
    }
}
