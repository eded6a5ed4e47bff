package io.github.losskit.samediff;

import io.github.losskit.core.classification.BinaryCrossEntropy;
import io.github.losskit.core.classification.CrossEntropy;
import io.github.losskit.core.classification.Focal;
import io.github.losskit.core.divergence.KLDivergence;
import io.github.losskit.core.divergence.TargetSpace;
import io.github.losskit.core.margin.MarginFunction;
import io.github.losskit.core.margin.MarginLabels;
import io.github.losskit.core.margin.MarginLoss;
import io.github.losskit.core.regression.Huber;
import io.github.losskit.core.regression.LogCosh;
import io.github.losskit.core.regression.SmoothL1;
import io.github.losskit.dl4j.LossBinaryCrossEntropy;
import io.github.losskit.dl4j.LossCrossEntropy;
import io.github.losskit.dl4j.LossFocal;
import io.github.losskit.dl4j.LossHuber;
import io.github.losskit.dl4j.LossKLDivergence;
import io.github.losskit.dl4j.LossLogCosh;
import io.github.losskit.dl4j.LossMargin;
import io.github.losskit.dl4j.LossSmoothL1;
import io.github.losskit.samediff.RandomInputs.Labels;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One builder call with fixed parameters, its DL4J counterpart, the number of outputs its parameters need,
 * the labels it takes, where its gradient has kinks and how large its input can be while it stays finite, so
 * that every test can run every builder the same way.
 */
record LossCase(String description, OutputKind kind, LabelDomain labelDomain, int outputs, Builder builder,
        ILossFunction dl4j, Kinks kinks, ToDoubleFunction<DataType> extremeInput) {

    /**
     * The output layer a loss sits on: its activation (for the DL4J side), the builder's name for its input,
     * and whether the per-element output is per example ([minibatch]; weights [minibatch]) or per element
     * ([minibatch, outputs]; weights [minibatch, 1] and others).
     */
    enum OutputKind {
        SOFTMAX(new ActivationSoftmax(), "logits", true),
        SIGMOID(new ActivationSigmoid(), "logits", false),
        REGRESSION(new ActivationIdentity(), "predictions", false),
        MARGIN(new ActivationIdentity(), "scores", false);

        final IActivation activation;
        final String inputName;
        final boolean perExample;

        OutputKind(IActivation activation, String inputName, boolean perExample) {
            this.activation = activation;
            this.inputName = inputName;
            this.perExample = perExample;
        }

        /** Weights of whole examples: [minibatch] for per-example outputs, a [minibatch, 1] column otherwise. */
        INDArray exampleWeights(INDArray column) {
            return perExample ? column.reshape(column.length()) : column;
        }
    }

    /** The valid labels of a loss and which {@link Labels} kinds it has. */
    enum LabelDomain {
        /** one-hot rows (hard) or probability distributions (soft) */
        DISTRIBUTION(Labels.HARD, Labels.SOFT),
        /** logarithms of DISTRIBUTION: 0 and -infinity (hard) or log-probabilities (soft) */
        LOG_DISTRIBUTION(Labels.HARD, Labels.SOFT),
        /** 0/1 (hard) or probabilities (soft), independent per output */
        BINARY(Labels.HARD, Labels.SOFT),
        /** -1/+1 */
        SIGNS(Labels.HARD),
        /** 0/1 */
        ZERO_ONE(Labels.HARD),
        /** real-valued regression targets */
        REAL(Labels.SOFT);

        final List<Labels> kinds;

        LabelDomain(Labels... kinds) {
            this.kinds = List.of(kinds);
        }

        /** {@code wanted} if this domain has it, else its only kind. */
        Labels closest(Labels wanted) {
            return kinds.contains(wanted) ? wanted : kinds.get(0);
        }
    }

    @FunctionalInterface
    interface Builder {
        SDVariable build(SDLosses losses, String name, SDVariable labels, SDVariable logits, SDVariable weights,
                LossReduce reduce);
    }

    /** How far inputs are from the nearest kink of the loss's gradient (where finite differences fail). */
    @FunctionalInterface
    interface Kinks {
        Kinks NONE = (labels, inputs) -> Double.POSITIVE_INFINITY;

        double distance(INDArray labels, INDArray inputs);

        /** Kinks at |prediction - label| = limit (Huber's delta, smooth L1's beta). */
        static Kinks residualAt(double limit) {
            return (labels, inputs) -> Transforms.abs(Transforms.abs(inputs.sub(labels), false).subi(limit), false)
                    .minNumber().doubleValue();
        }

        /** A kink at the margin z = 1 (hinge). */
        static Kinks marginAtOne(MarginLabels encoding) {
            return (labels, inputs) -> {
                INDArray signs = encoding == MarginLabels.ZERO_ONE ? labels.mul(2).subi(1) : labels;
                return Transforms.abs(inputs.mul(signs).subi(1), false).minNumber().doubleValue();
            };
        }
    }

    /** Every loss but the exponential margin loss is finite at inputs of +/-1e4. */
    static final ToDoubleFunction<DataType> FINITE_EVERYWHERE = type -> 1e4;

    /**
     * exp(-z) overflows below z = -709.78 (double) or -88.72 (float). The magnitudes keep a sum of a few dozen
     * such terms (with weights up to 2) finite: 24 e^700 < 1.8e308 and 48 e^80 < 3.4e38.
     */
    static final ToDoubleFunction<DataType> EXPONENTIAL_RANGE = type -> type == DataType.DOUBLE ? 700 : 80;

    SDVariable build(SDLosses losses, String name, SDVariable labels, SDVariable logits, SDVariable weights,
            LossReduce reduce) {
        return builder.build(losses, name, labels, logits, weights, reduce);
    }

    LossCase withLabels(LabelDomain domain) {
        return new LossCase(description, kind, domain, outputs, builder, dl4j, kinks, extremeInput);
    }

    LossCase withKinks(Kinks k) {
        return new LossCase(description, kind, labelDomain, outputs, builder, dl4j, k, extremeInput);
    }

    LossCase withOutputs(int n) {
        return new LossCase(description, kind, labelDomain, n, builder, dl4j, kinks, extremeInput);
    }

    LossCase withExtremeInput(ToDoubleFunction<DataType> extreme) {
        return new LossCase(description, kind, labelDomain, outputs, builder, dl4j, kinks, extreme);
    }

    /** The builder's name, e.g. "SDLosses.focal" for the case "focal(gamma 2, alpha 0.25)". */
    String builderName() {
        return "SDLosses." + description.substring(0, description.indexOf('('));
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
                                .labelSmoothing(0.1).build()),
                regression("huber(delta 1)", (l, n, y, x, w, r) -> l.huber(n, y, x, w, r, 1.0),
                        new LossHuber(1.0)).withKinks(Kinks.residualAt(1.0)),
                regression("huber(delta 0.5, weights per output)",
                        (l, n, y, x, w, r) -> l.huber(n, y, x, w, r, new Huber(0.5, outputWeights)),
                        LossHuber.builder().delta(0.5).weights(outputWeights).build()).withKinks(Kinks.residualAt(0.5)),
                regression("smoothL1(beta 1)", (l, n, y, x, w, r) -> l.smoothL1(n, y, x, w, r, 1.0),
                        new LossSmoothL1(1.0)).withKinks(Kinks.residualAt(1.0)),
                regression("smoothL1(beta 2.5, weights per output)",
                        (l, n, y, x, w, r) -> l.smoothL1(n, y, x, w, r, new SmoothL1(2.5, outputWeights)),
                        LossSmoothL1.builder().beta(2.5).weights(outputWeights).build())
                        .withKinks(Kinks.residualAt(2.5)),
                regression("logCosh()", (l, n, y, x, w, r) -> l.logCosh(n, y, x, w, r), new LossLogCosh()),
                regression("logCosh(weights per output)",
                        (l, n, y, x, w, r) -> l.logCosh(n, y, x, w, r, new LogCosh(outputWeights)),
                        new LossLogCosh(outputWeights)),
                margin("margin(HINGE)", MarginFunction.HINGE, MarginLabels.PLUS_MINUS_ONE,
                        (l, n, y, x, w, r) -> l.margin(n, y, x, w, r, MarginFunction.HINGE),
                        new LossMargin(MarginFunction.HINGE)),
                margin("margin(SQUARED_HINGE, 0/1 labels)", MarginFunction.SQUARED_HINGE, MarginLabels.ZERO_ONE,
                        (l, n, y, x, w, r) -> l.margin(n, y, x, w, r,
                                new MarginLoss(MarginFunction.SQUARED_HINGE, MarginLabels.ZERO_ONE)),
                        new LossMargin(MarginFunction.SQUARED_HINGE, MarginLabels.ZERO_ONE, null)),
                margin("margin(EXPONENTIAL)", MarginFunction.EXPONENTIAL, MarginLabels.PLUS_MINUS_ONE,
                        (l, n, y, x, w, r) -> l.margin(n, y, x, w, r, MarginFunction.EXPONENTIAL),
                        new LossMargin(MarginFunction.EXPONENTIAL)),
                margin("margin(LOGISTIC, 0/1 labels)", MarginFunction.LOGISTIC, MarginLabels.ZERO_ONE,
                        (l, n, y, x, w, r) -> l.margin(n, y, x, w, r,
                                new MarginLoss(MarginFunction.LOGISTIC, MarginLabels.ZERO_ONE)),
                        new LossMargin(MarginFunction.LOGISTIC, MarginLabels.ZERO_ONE, null)),
                softmax("klDivergence(probabilities)",
                        (l, n, y, x, w, r) -> l.klDivergence(n, y, x, w, r, TargetSpace.PROBABILITIES),
                        new LossKLDivergence(TargetSpace.PROBABILITIES)),
                softmax("klDivergence(log-probabilities)",
                        (l, n, y, x, w, r) -> l.klDivergence(n, y, x, w, r,
                                new KLDivergence(TargetSpace.LOG_PROBABILITIES)),
                        new LossKLDivergence(TargetSpace.LOG_PROBABILITIES))
                        .withLabels(LabelDomain.LOG_DISTRIBUTION));
    }

    static LossCase softmax(String description, Builder builder, ILossFunction dl4j) {
        return new LossCase(description, OutputKind.SOFTMAX, LabelDomain.DISTRIBUTION, CLASSES, builder, dl4j,
                Kinks.NONE, FINITE_EVERYWHERE);
    }

    static LossCase sigmoid(String description, Builder builder, ILossFunction dl4j) {
        return new LossCase(description, OutputKind.SIGMOID, LabelDomain.BINARY, OUTPUTS, builder, dl4j, Kinks.NONE,
                FINITE_EVERYWHERE);
    }

    static LossCase regression(String description, Builder builder, ILossFunction dl4j) {
        return new LossCase(description, OutputKind.REGRESSION, LabelDomain.REAL, OUTPUTS, builder, dl4j,
                Kinks.NONE, FINITE_EVERYWHERE);
    }

    static LossCase margin(String description, MarginFunction function, MarginLabels encoding, Builder builder,
            ILossFunction dl4j) {
        LossCase c = new LossCase(description, OutputKind.MARGIN,
                encoding == MarginLabels.ZERO_ONE ? LabelDomain.ZERO_ONE : LabelDomain.SIGNS, OUTPUTS, builder, dl4j,
                Kinks.NONE, function == MarginFunction.EXPONENTIAL ? EXPONENTIAL_RANGE : FINITE_EVERYWHERE);
        // squared hinge's gradient is continuous at z = 1 (only its second derivative jumps)
        return function == MarginFunction.HINGE ? c.withKinks(Kinks.marginAtOne(encoding)) : c;
    }
}
