package io.github.losskit.dl4j;

import io.github.losskit.core.ElementwiseTerms;
import io.github.losskit.core.LossEvaluator;
import io.github.losskit.core.LossResult;
import io.github.losskit.core.Need;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The base class for your own loss: write the per-element loss l(y, a) of a label y and a prediction
 * a = activation(preOutput), and its derivative dl/da; the base class applies the output activation and its
 * chain rule, masks (per example or per output; NaN in masked positions cannot leak), optional per-output
 * weights, the sum over outputs and DL4J's score and gradient conventions.
 *
 * <p>For JSON and {@code ModelSerializer}, give each setting a field and a getter and annotate the
 * constructor with the shaded Jackson {@code @JsonCreator} / {@code @JsonProperty}
 * ({@code org.nd4j.shade.jackson.annotation}); implement {@code equals} and {@code hashCode}. The docs show
 * a complete example.
 */
public abstract class ElementwiseLossFunction extends AbstractLossFunction {

    private static final long serialVersionUID = 1L;

    /**
     * Per-element values and/or derivatives with respect to the predictions. Use ND4J ops only and do not
     * modify the arguments; return {@code null} for what {@code need} does not ask for.
     *
     * @param labels      labels, masked positions replaced by 0
     * @param predictions activation outputs, same shape, masked positions computed from a pre-activation of 0
     */
    protected abstract ElementwiseTerms terms(INDArray labels, INDArray predictions, Need need);

    /** The label written into masked positions before the loss sees them: a valid label (default 0). */
    protected double maskedLabel() {
        return 0.0;
    }

    /** Checks that unmasked labels lie in the loss's domain; the default accepts any labels. */
    protected void checkLabels(INDArray labels) {
    }

    /**
     * The part of {@link #checkLabels} that a finite score does not prove; called instead of it when the score
     * is computed, and followed by the full check if the score is not finite. Override it only when every
     * value of your loss is NaN or infinite at a NaN label; the default runs the full check.
     */
    protected void checkLabelsGivenFiniteScore(INDArray labels) {
        checkLabels(labels);
    }

    /** Per-output weights [1, outputs] in the data type of {@code like}, or {@code null} (the default). */
    protected INDArray outputWeights(INDArray like) {
        return null;
    }

    @Override
    protected final LossResult evaluate(INDArray labels, INDArray preOutput, IActivation activationFn,
            INDArray mask, Need need) {
        // zero masked pre-activations first so that neither the activation nor its derivative sees a NaN
        INDArray safePreOutput = LossEvaluator.zeroMasked(preOutput, mask);
        // the identity needs neither a copy to transform in place nor a chain rule (terms never modify arguments)
        boolean identity = activationFn.getClass() == ActivationIdentity.class;
        INDArray predictions = identity ? safePreOutput : activationFn.getActivation(safePreOutput.dup(), true);
        LossResult result = LossEvaluator.elementwise(lossName(), new io.github.losskit.core.ElementwiseLoss() {
            @Override
            public ElementwiseTerms terms(INDArray y, INDArray a, Need n) {
                return ElementwiseLossFunction.this.terms(y, a, n);
            }

            @Override
            public double maskedLabel() {
                return ElementwiseLossFunction.this.maskedLabel();
            }

            @Override
            public void checkLabels(String lossName, INDArray y) {
                ElementwiseLossFunction.this.checkLabels(y);
            }

            @Override
            public void checkLabelsGivenFiniteScore(String lossName, INDArray y) {
                ElementwiseLossFunction.this.checkLabelsGivenFiniteScore(y);
            }
        }, labels, predictions, mask, outputWeights(labels), need);
        if (!need.gradient() || identity) {
            return result;
        }
        return result.withGradient(activationFn.backprop(safePreOutput.dup(), result.gradient()).getFirst());
    }
}
