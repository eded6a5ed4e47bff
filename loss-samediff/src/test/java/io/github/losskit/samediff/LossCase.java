package io.github.losskit.samediff;

import io.github.losskit.core.classification.BinaryCrossEntropy;
import io.github.losskit.core.classification.CrossEntropy;
import io.github.losskit.core.classification.Focal;
import io.github.losskit.dl4j.LossBinaryCrossEntropy;
import io.github.losskit.dl4j.LossCrossEntropy;
import io.github.losskit.dl4j.LossFocal;
import java.util.List;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * One builder call with fixed parameters, its DL4J counterpart and the number of outputs its parameters
 * need, so that every test can run every builder the same way.
 */
record LossCase(String description, OutputKind kind, int outputs, Builder builder, ILossFunction dl4j) {

    /** The output activation a loss is defined over, which fixes the shape of its per-element output. */
    enum OutputKind {
        /** per example [minibatch]; weights [minibatch] */
        SOFTMAX(new ActivationSoftmax()),
        /** per element [minibatch, outputs]; weights [minibatch, 1] and others */
        SIGMOID(new ActivationSigmoid());

        final IActivation activation;

        OutputKind(IActivation activation) {
            this.activation = activation;
        }
    }

    @FunctionalInterface
    interface Builder {
        SDVariable build(SDLosses losses, String name, SDVariable labels, SDVariable logits, SDVariable weights,
                LossReduce reduce);
    }

    SDVariable build(SDLosses losses, String name, SDVariable labels, SDVariable logits, SDVariable weights,
            LossReduce reduce) {
        return builder.build(losses, name, labels, logits, weights, reduce);
    }

    @Override
    public String toString() {
        return description;
    }

    static final int CLASSES = 5;
    static final int OUTPUTS = 4;

    /** Every builder, both overloads, with a few parameter sets each. */
    static List<LossCase> all() {
        double[] classAlpha = {0.45, 0.74, 0.43, 0.47, 0.58};
        double[] classWeights = {1.1, 2.9, 1.3, 0.2, 0.7};
        double[] outputAlpha = {0.2, 0.4, 0.6, 0.8};
        double[] posWeights = {1.0, 0.5, 3.0, 4.3};
        double[] outputWeights = {1.9, 2.4, 1.1, 0.3};
        return List.of(
                softmax("focal(gamma 2, alpha 0.25)", (l, n, y, x, w, r) -> l.focal(n, y, x, w, r, 2, 0.25),
                        LossFocal.builder().gamma(2).alpha(0.25).build()),
                softmax("focal(gamma 0.5, alpha per class)",
                        (l, n, y, x, w, r) -> l.focal(n, y, x, w, r, new Focal(0.5, classAlpha)),
                        LossFocal.builder().gamma(0.5).alpha(classAlpha).build()),
                softmax("focal(gamma 3.7, no alpha)", (l, n, y, x, w, r) -> l.focal(n, y, x, w, r, 3.7, -1),
                        LossFocal.builder().gamma(3.7).noAlpha().build()),
                softmax("focal(gamma 0, alpha 1)", (l, n, y, x, w, r) -> l.focal(n, y, x, w, r, new Focal(0, 1)),
                        LossFocal.builder().gamma(0).alpha(1).build()),
                sigmoid("binaryFocal(gamma 2, alpha 0.25)",
                        (l, n, y, x, w, r) -> l.binaryFocal(n, y, x, w, r, 2, 0.25),
                        LossFocal.builder().gamma(2).alpha(0.25).build()),
                sigmoid("binaryFocal(gamma 0.5, alpha 0.75)",
                        (l, n, y, x, w, r) -> l.binaryFocal(n, y, x, w, r, new Focal(0.5, 0.75)),
                        LossFocal.builder().gamma(0.5).alpha(0.75).build()),
                sigmoid("binaryFocal(gamma 1, alpha per output)",
                        (l, n, y, x, w, r) -> l.binaryFocal(n, y, x, w, r, new Focal(1, outputAlpha)),
                        LossFocal.builder().gamma(1).alpha(outputAlpha).build()),
                sigmoid("binaryFocal(gamma 5, no alpha)", (l, n, y, x, w, r) -> l.binaryFocal(n, y, x, w, r, 5, -1),
                        LossFocal.builder().gamma(5).noAlpha().build()),
                softmax("crossEntropy(smoothing 0)", (l, n, y, x, w, r) -> l.crossEntropy(n, y, x, w, r, 0.0),
                        LossCrossEntropy.builder().build()),
                softmax("crossEntropy(smoothing 0.1)", (l, n, y, x, w, r) -> l.crossEntropy(n, y, x, w, r, 0.1),
                        LossCrossEntropy.builder().labelSmoothing(0.1).build()),
                softmax("crossEntropy(smoothing 0.2, class weights)",
                        (l, n, y, x, w, r) -> l.crossEntropy(n, y, x, w, r, new CrossEntropy(0.2, classWeights)),
                        LossCrossEntropy.builder().labelSmoothing(0.2).weights(classWeights).build()),
                sigmoid("binaryCrossEntropy(smoothing 0)",
                        (l, n, y, x, w, r) -> l.binaryCrossEntropy(n, y, x, w, r, 0.0),
                        LossBinaryCrossEntropy.builder().build()),
                sigmoid("binaryCrossEntropy(smoothing 0.1)",
                        (l, n, y, x, w, r) -> l.binaryCrossEntropy(n, y, x, w, r, 0.1),
                        LossBinaryCrossEntropy.builder().labelSmoothing(0.1).build()),
                sigmoid("binaryCrossEntropy(posWeight 3)",
                        (l, n, y, x, w, r) -> l.binaryCrossEntropy(n, y, x, w, r,
                                new BinaryCrossEntropy(new double[] {3.0}, null, 0.0)),
                        LossBinaryCrossEntropy.builder().posWeight(3.0).build()),
                sigmoid("binaryCrossEntropy(posWeight and weights per output, smoothing 0.1)",
                        (l, n, y, x, w, r) -> l.binaryCrossEntropy(n, y, x, w, r,
                                new BinaryCrossEntropy(posWeights, outputWeights, 0.1)),
                        LossBinaryCrossEntropy.builder().posWeight(posWeights).weights(outputWeights)
                                .labelSmoothing(0.1).build()));
    }

    private static LossCase softmax(String description, Builder builder, ILossFunction dl4j) {
        return new LossCase(description, OutputKind.SOFTMAX, CLASSES, builder, dl4j);
    }

    private static LossCase sigmoid(String description, Builder builder, ILossFunction dl4j) {
        return new LossCase(description, OutputKind.SIGMOID, OUTPUTS, builder, dl4j);
    }
}
