package io.github.losskit.samediff;

import io.github.losskit.core.classification.BinaryCrossEntropy;
import io.github.losskit.core.classification.CrossEntropy;
import io.github.losskit.core.classification.Focal;
import java.util.Arrays;
import java.util.function.Supplier;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;

/**
 * LossKit's losses as SameDiff graph builders, in the style of {@code sd.loss()}; autodiff gives the
 * gradients. The math and its conventions are those of the {@code loss-core} configurations
 * ({@link Focal}, {@link CrossEntropy}, {@link BinaryCrossEntropy}) and of the DL4J adapters.
 *
 * <pre>{@code
 * SameDiff sd = SameDiff.create();
 * SDVariable labels = sd.placeHolder("labels", DataType.FLOAT, -1, 10);
 * SDVariable logits = ...; // pre-softmax output [minibatch, 10]
 * SDVariable loss = new SDLosses(sd).focal("loss", labels, logits, null, LossReduce.MEAN_BY_WEIGHT, 2.0, 0.25);
 * }</pre>
 *
 * <p>Every builder takes 2-D logits {@code [minibatch, outputs]} (pre-activation: the softmax or sigmoid is
 * part of the loss) and labels of the same shape, in any data type (they are cast to the logits' type). The
 * per-element loss, which {@link LossReduce#NONE} returns, has shape {@code [minibatch]} for the softmax
 * losses ({@link #focal}, {@link #crossEntropy}), like SameDiff's {@code softmaxCrossEntropy}, and
 * {@code [minibatch, outputs]} for the sigmoid losses ({@link #binaryFocal}, {@link #binaryCrossEntropy}).
 * {@code weights} ({@code null} means 1) multiply that output and broadcast against it: a scalar or
 * {@code [minibatch]} for softmax losses; a scalar, {@code [minibatch, outputs]}, {@code [1, outputs]} or
 * {@code [minibatch, 1]} for sigmoid losses. Reductions have SameDiff's meaning; a mean whose divisor is 0
 * (all weights 0) is 0. The returned variable has the given name ({@code null}: a generated one) and is
 * marked as a loss of the graph, also with {@link LossReduce#NONE}: SameDiff then trains on the gradient of its
 * sum. To reduce a NONE output further yourself, make your reduction the loss instead
 * ({@code sd.setLossVariables(...)}), or both would count.
 *
 * <p>No clipping epsilon is involved: values and gradients are finite for any finite logits (tested at
 * +/-1e4 in float and double). Labels are not range-checked in the graph; use values in [0, 1].
 */
public final class SDLosses {

    private final SameDiff sd;

    public SDLosses(SameDiff sd) {
        if (sd == null) {
            throw new IllegalArgumentException("SDLosses: sd must not be null");
        }
        this.sd = sd;
    }

    /** Softmax focal loss with a scalar alpha (negative: no alpha factor); see {@link #focal(String,
     * SDVariable, SDVariable, SDVariable, LossReduce, Focal)}. */
    public SDVariable focal(String name, SDVariable labels, SDVariable logits, SDVariable weights,
            LossReduce reduce, double gamma, double alpha) {
        return focal(name, labels, logits, weights, reduce, new Focal(gamma, alpha));
    }

    /**
     * Multi-class focal loss over a softmax, per example -sum_c alpha_c y_c (1 - p_c)^gamma log p_c, where
     * alpha is the configuration's scalar (multiplying every class; negative disables it) or one value per
     * class. Labels may be one-hot or soft. Output per example {@code [minibatch]}.
     */
    public SDVariable focal(String name, SDVariable labels, SDVariable logits, SDVariable weights,
            LossReduce reduce, Focal config) {
        return outsideWorkspaces(() -> {
            LossArguments args = LossArguments.softmax("SDLosses.focal", labels, logits, weights, reduce, config);
            double[] alpha = config.alpha();
            args.requireOneValuePerOutput("config.alpha", alpha, true);
            SDVariable logP = StableOps.logSoftmax(sd, args.logits());
            SDVariable terms = args.labels().mul(logP);
            if (config.gamma() != 0) {
                // 1 - p = -expm1(log p): exact near p = 1, where 1 - p itself would round to 0
                SDVariable oneMinusP = sd.math().expm1(logP).neg();
                terms = terms.mul(StableOps.power(sd, oneMinusP, config.gamma()));
            }
            if (!config.alphaDisabled()) {
                terms = alpha.length == 1 ? terms.mul(alpha[0]) : terms.mul(row(alpha, logP.dataType()));
            }
            return LossReduction.apply(sd, name, terms.sum(1).neg(), args.weights(), reduce);
        });
    }

    /** Sigmoid focal loss with a scalar alpha in [0, 1] (negative: no alpha factor); see
     * {@link #binaryFocal(String, SDVariable, SDVariable, SDVariable, LossReduce, Focal)}. */
    public SDVariable binaryFocal(String name, SDVariable labels, SDVariable logits, SDVariable weights,
            LossReduce reduce, double gamma, double alpha) {
        return binaryFocal(name, labels, logits, weights, reduce, new Focal(gamma, alpha));
    }

    /**
     * Focal loss with one sigmoid term per output, exactly torchvision's {@code sigmoid_focal_loss}:
     * alpha_t (1 - p_t)^gamma BCE(x, y) with p_t = p y + (1 - p)(1 - y) and alpha_t = alpha y + (1 - alpha)(1 - y);
     * alpha weighs positives and 1 - alpha negatives (a scalar in [0, 1] or one value in (0, 1] per output),
     * and a negative scalar disables it. Output per element {@code [minibatch, outputs]}.
     */
    public SDVariable binaryFocal(String name, SDVariable labels, SDVariable logits, SDVariable weights,
            LossReduce reduce, Focal config) {
        return outsideWorkspaces(() -> {
            String builder = "SDLosses.binaryFocal";
            LossArguments args = LossArguments.sigmoid(builder, labels, logits, weights, reduce, config);
            double[] alpha = config.alpha();
            args.requireOneValuePerOutput("config.alpha", alpha, true);
            requireSigmoidAlpha(builder, alpha);
            SDVariable x = args.logits();
            SDVariable y = args.labels();
            // BCE from logits, softplus(x) - x y: finite at |x| = 1e4, where log(p) would be -inf
            SDVariable values = StableOps.softplus(sd, x).sub(x.mul(y));
            if (config.gamma() != 0) {
                // 1 - p_t = (1 - p) y + p (1 - y), with 1 - p = sigmoid(-x) so that it is exact near 0
                SDVariable p = sd.nn().sigmoid(x);
                SDVariable oneMinusP = sd.nn().sigmoid(x.neg());
                SDVariable oneMinusPt = oneMinusP.mul(y).add(p.mul(y.rsub(1.0)));
                values = values.mul(StableOps.power(sd, oneMinusPt, config.gamma()));
            }
            if (!config.alphaDisabled()) {
                values = values.mul(alphaT(y, alpha));
            }
            return LossReduction.apply(sd, name, values, args.weights(), reduce);
        });
    }

    /** Softmax cross-entropy with label smoothing and no class weights; see {@link #crossEntropy(String,
     * SDVariable, SDVariable, SDVariable, LossReduce, CrossEntropy)}. */
    public SDVariable crossEntropy(String name, SDVariable labels, SDVariable logits, SDVariable weights,
            LossReduce reduce, double labelSmoothing) {
        return crossEntropy(name, labels, logits, weights, reduce, new CrossEntropy(labelSmoothing, null));
    }

    /**
     * Softmax cross-entropy from logits, per example -sum_c w_c y'_c log p_c with smoothed targets
     * y' = (1 - eps) y + eps / K over K classes (eps / K for every class, the target included, as in PyTorch
     * and Keras) and the configuration's optional class weights w. Output per example {@code [minibatch]}.
     */
    public SDVariable crossEntropy(String name, SDVariable labels, SDVariable logits, SDVariable weights,
            LossReduce reduce, CrossEntropy config) {
        return outsideWorkspaces(() -> {
            LossArguments args = LossArguments.softmax("SDLosses.crossEntropy", labels, logits, weights, reduce,
                    config);
            double[] classWeights = config.classWeights();
            args.requireOneValuePerOutput("config.classWeights", classWeights, false);
            SDVariable logP = StableOps.logSoftmax(sd, args.logits());
            SDVariable weightedLogP = classWeights == null ? logP : logP.mul(row(classWeights, logP.dataType()));
            SDVariable labelTerm = args.labels().mul(weightedLogP).sum(1);
            double eps = config.labelSmoothing();
            // sum_c (eps / K) w_c log p_c is eps times the mean over classes, so K need not be known here
            SDVariable perExample = eps == 0 ? labelTerm.neg()
                    : labelTerm.mul(1 - eps).add(weightedLogP.mean(1).mul(eps)).neg();
            return LossReduction.apply(sd, name, perExample, args.weights(), reduce);
        });
    }

    /** Binary cross-entropy with label smoothing, no positive or output weights; see
     * {@link #binaryCrossEntropy(String, SDVariable, SDVariable, SDVariable, LossReduce, BinaryCrossEntropy)}. */
    public SDVariable binaryCrossEntropy(String name, SDVariable labels, SDVariable logits, SDVariable weights,
            LossReduce reduce, double labelSmoothing) {
        return binaryCrossEntropy(name, labels, logits, weights, reduce,
                new BinaryCrossEntropy(null, null, labelSmoothing));
    }

    /**
     * Binary cross-entropy from logits, one term per output (multi-label):
     * -[w_pos y' log sigmoid(x) + (1 - y') log(1 - sigmoid(x))] times the configuration's output weight, with
     * PyTorch's {@code pos_weight} (one value or one per output) and labels smoothed towards 0.5,
     * y' = y (1 - eps) + eps / 2 (Keras). Output per element {@code [minibatch, outputs]}.
     */
    public SDVariable binaryCrossEntropy(String name, SDVariable labels, SDVariable logits, SDVariable weights,
            LossReduce reduce, BinaryCrossEntropy config) {
        return outsideWorkspaces(() -> {
            LossArguments args = LossArguments.sigmoid("SDLosses.binaryCrossEntropy", labels, logits, weights,
                    reduce, config);
            double[] positiveWeight = config.positiveWeight();
            double[] outputWeights = config.outputWeights();
            args.requireOneValuePerOutput("config.positiveWeight", positiveWeight, true);
            args.requireOneValuePerOutput("config.outputWeights", outputWeights, false);
            SDVariable x = args.logits();
            DataType type = x.dataType();
            double eps = config.labelSmoothing();
            SDVariable y = eps == 0 ? args.labels() : args.labels().mul(1 - eps).add(eps / 2);
            // -log sigmoid(x) = softplus(-x) and -log(1 - sigmoid(x)) = x + softplus(-x), so the loss is
            // (1 - y) x + (1 + (w_pos - 1) y) softplus(-x), finite for any finite logit
            SDVariable negLogSigmoid = StableOps.softplus(sd, x.neg());
            if (positiveWeight != null) {
                SDVariable negLogSigmoidWeight = positiveWeight.length == 1
                        ? y.mul(positiveWeight[0] - 1).add(1.0)
                        : y.mul(row(Arrays.stream(positiveWeight).map(w -> w - 1).toArray(), type)).add(1.0);
                negLogSigmoid = negLogSigmoid.mul(negLogSigmoidWeight);
            }
            SDVariable values = y.rsub(1.0).mul(x).add(negLogSigmoid);
            if (outputWeights != null) {
                values = values.mul(row(outputWeights, type));
            }
            return LossReduction.apply(sd, name, values, args.weights(), reduce);
        });
    }

    /** alpha y + (1 - alpha)(1 - y) = (1 - alpha) + (2 alpha - 1) y, per output when alpha is a vector. */
    private SDVariable alphaT(SDVariable y, double[] alpha) {
        if (alpha.length == 1) {
            return y.mul(2 * alpha[0] - 1).add(1 - alpha[0]);
        }
        DataType type = y.dataType();
        double[] slope = Arrays.stream(alpha).map(a -> 2 * a - 1).toArray();
        double[] intercept = Arrays.stream(alpha).map(a -> 1 - a).toArray();
        return y.mul(row(slope, type)).add(row(intercept, type));
    }

    private static void requireSigmoidAlpha(String builder, double[] alpha) {
        if (Arrays.stream(alpha).anyMatch(a -> a > 1)) {
            throw new IllegalArgumentException(builder + ": with a sigmoid alpha weighs positives and 1 - alpha"
                    + " negatives, so every alpha must lie in [0, 1] (or be a single negative value, which disables"
                    + " it); got " + Arrays.toString(alpha));
        }
    }

    /** A constant row [1, n]. */
    private SDVariable row(double[] values, DataType type) {
        return sd.constant(Nd4j.createFromArray(values).castTo(type).reshape(1, values.length));
    }

    /**
     * Builds graph pieces outside any workspace. A graph built inside a DL4J workspace (a layer defining its
     * graph during fit) would otherwise keep arrays whose memory the workspace reuses: the constants made
     * here and the scalars that SameDiff's scalar ops (x.mul(2.0) and the like) store when created.
     */
    @SuppressWarnings("try") // the scope is entered for its effect on allocation, not used by name
    private SDVariable outsideWorkspaces(Supplier<SDVariable> graph) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return graph.get();
        }
    }
}
