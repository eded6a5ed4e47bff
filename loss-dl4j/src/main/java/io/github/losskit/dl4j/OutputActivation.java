package io.github.losskit.dl4j;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;

/** The output activations for which a loss can work from logits directly. */
enum OutputActivation {
    SOFTMAX,
    SIGMOID,
    OTHER;

    static OutputActivation of(IActivation activation) {
        if (activation instanceof ActivationSoftmax) {
            return SOFTMAX;
        }
        if (activation instanceof ActivationSigmoid) {
            return SIGMOID;
        }
        return OTHER;
    }

    /** The message for a loss that works from logits and cannot use {@code activation}. */
    static IllegalArgumentException unsupported(String loss, IActivation activation, String expected) {
        String got = activation == null ? "null" : activation.getClass().getSimpleName();
        String enumNames = "Activation." + expected.toUpperCase().replace(" OR ", " or Activation.");
        return new IllegalArgumentException(loss + " computes from logits and needs a " + expected
                + " output activation (" + enumNames + ") on its output layer; got " + got
                + ". Move the activation into the output layer rather than applying it in an earlier layer.");
    }
}
