package io.github.losskit.samediff;

import io.github.losskit.core.LabelStats;
import io.github.losskit.core.classification.BinaryCrossEntropy;
import io.github.losskit.core.classification.CrossEntropy;
import io.github.losskit.core.classification.Focal;
import io.github.losskit.core.divergence.KLDivergence;
import io.github.losskit.core.divergence.TargetSpace;
import io.github.losskit.core.margin.MarginFunction;
import io.github.losskit.core.metric.Contrastive;
import io.github.losskit.core.metric.Triplet;
import io.github.losskit.core.margin.MarginLabels;
import io.github.losskit.core.margin.MarginLoss;
import io.github.losskit.core.regression.Huber;
import io.github.losskit.core.regression.LogCosh;
import io.github.losskit.core.regression.ResidualLoss;
import io.github.losskit.core.regression.SmoothL1;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;

/**
 * LossKit's losses as SameDiff graph builders, in the style of {@code sd.loss()}; autodiff gives the
 * gradients. The math and its conventions are those of the {@code loss-core} configurations
 * ({@link Focal}, {@link CrossEntropy}, {@link BinaryCrossEntropy}, {@link Huber}, {@link SmoothL1},
 * {@link LogCosh}, {@link MarginLoss}, {@link KLDivergence}) and of the DL4J adapters.
 *
 * <pre>{@code
 * SameDiff sd = SameDiff.create();
 * SDVariable labels = sd.placeHolder("labels", DataType.FLOAT, -1, 10);
 * SDVariable logits = ...; // pre-softmax output [minibatch, 10]
 * SDVariable loss = new SDLosses(sd).focal("loss", labels, logits, null, LossReduce.MEAN_BY_WEIGHT, 2.0, 0.25);
 * }</pre>
 *
 * <p>Every builder takes a 2-D input {@code [minibatch, outputs]} and labels of the same shape, in any data
 * type (they are cast to the input's type). The input is the output layer's pre-activation: logits for the
 * classification losses and the KL divergence (the softmax or sigmoid is part of the loss), predictions for
 * the regression losses and scores for the margin losses (identity output). The per-element loss, which
 * {@link LossReduce#NONE} returns, has shape {@code [minibatch]} for the softmax losses ({@link #focal},
 * {@link #crossEntropy}, {@link #klDivergence}), like SameDiff's {@code softmaxCrossEntropy}, and
 * {@code [minibatch, outputs]} for the element-wise ones: sigmoid ({@link #binaryFocal},
 * {@link #binaryCrossEntropy}), regression ({@link #huber}, {@link #smoothL1}, {@link #logCosh}) and margin
 * ({@link #margin}). {@code weights} ({@code null} means 1) multiply that output and broadcast against it: a
 * scalar or {@code [minibatch]} for softmax losses; a scalar, {@code [minibatch, outputs]},
 * {@code [1, outputs]} or {@code [minibatch, 1]} for element-wise losses. Per-output weights of a
 * configuration multiply the per-element loss before {@code weights} do, as in the DL4J adapters.
 * The metric losses ({@link #contrastive}, {@link #triplet}) are the exception: they compare the rows of
 * embeddings {@code [minibatch, D]} with each other, take labels of their own shape and no weights or
 * reduction, and return the loss's natural mean, DL4J's score for the same batch.
 * Reductions have SameDiff's meaning; a mean whose divisor is 0 (all weights 0) is 0. The returned variable
 * has the given name ({@code null}: a generated one) and is marked as a loss of the graph, also with
 * {@link LossReduce#NONE}: SameDiff then trains on the gradient of its sum. To reduce a NONE output further
 * yourself, make your reduction the loss instead ({@code sd.setLossVariables(...)}), or both would count.
 *
 * <p>No clipping epsilon is involved: values and gradients are finite for any finite input (tested at
 * +/-1e4 in float and double), except the exponential margin loss, which overflows where exp(-z) does (see
 * {@link #margin(String, SDVariable, SDVariable, SDVariable, LossReduce, MarginLoss)}).
 *
 * <p>Label values are checked at build time, with the core's label checks, only when the labels are a
 * constant of the graph (margin labels in {-1, +1} or {0, 1}, KL targets that are probabilities or
 * log-probabilities, finite regression targets); placeholder labels are not checked at run time. The
 * classification losses do not check label values: use values in [0, 1].
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
        return focal(name, labels, logits, weights, reduce, configure("SDLosses.focal", () -> new Focal(gamma, alpha)));
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
            SDVariable logP = StableOps.logSoftmax(sd, args.input());
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
        return binaryFocal(name, labels, logits, weights, reduce,
                configure("SDLosses.binaryFocal", () -> new Focal(gamma, alpha)));
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
            LossArguments args = LossArguments.elementwise(builder, "logits", labels, logits, weights, reduce, config);
            double[] alpha = config.alpha();
            args.requireOneValuePerOutput("config.alpha", alpha, true);
            requireSigmoidAlpha(builder, alpha);
            SDVariable x = args.input();
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
        return crossEntropy(name, labels, logits, weights, reduce,
                configure("SDLosses.crossEntropy", () -> new CrossEntropy(labelSmoothing, null)));
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
            SDVariable logP = StableOps.logSoftmax(sd, args.input());
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
        return binaryCrossEntropy(name, labels, logits, weights, reduce, configure("SDLosses.binaryCrossEntropy",
                () -> new BinaryCrossEntropy(null, null, labelSmoothing)));
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
            LossArguments args = LossArguments.elementwise("SDLosses.binaryCrossEntropy", "logits", labels,
                    logits, weights, reduce, config);
            double[] positiveWeight = config.positiveWeight();
            double[] outputWeights = config.outputWeights();
            args.requireOneValuePerOutput("config.positiveWeight", positiveWeight, true);
            args.requireOneValuePerOutput("config.outputWeights", outputWeights, false);
            SDVariable x = args.input();
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

    /** Huber loss without per-output weights; see {@link #huber(String, SDVariable, SDVariable, SDVariable,
     * LossReduce, Huber)}. */
    public SDVariable huber(String name, SDVariable labels, SDVariable predictions, SDVariable weights,
            LossReduce reduce, double delta) {
        return huber(name, labels, predictions, weights, reduce,
                configure("SDLosses.huber", () -> new Huber(delta, null)));
    }

    /**
     * Huber loss (PyTorch {@code HuberLoss}) of the residual d = prediction - label: 0.5 d^2 where |d| &lt; delta,
     * delta (|d| - 0.5 delta) beyond, times the configuration's per-output weight. Its gradient is d clipped to
     * [-delta, delta]. Output per element {@code [minibatch, outputs]}.
     */
    public SDVariable huber(String name, SDVariable labels, SDVariable predictions, SDVariable weights,
            LossReduce reduce, Huber config) {
        return residualLoss("SDLosses.huber", name, labels, predictions, weights, reduce, config,
                d -> clippedQuadratic(d, config.delta()));
    }

    /** Smooth L1 loss without per-output weights; see {@link #smoothL1(String, SDVariable, SDVariable,
     * SDVariable, LossReduce, SmoothL1)}. */
    public SDVariable smoothL1(String name, SDVariable labels, SDVariable predictions, SDVariable weights,
            LossReduce reduce, double beta) {
        return smoothL1(name, labels, predictions, weights, reduce,
                configure("SDLosses.smoothL1", () -> new SmoothL1(beta, null)));
    }

    /**
     * Smooth L1 loss (PyTorch {@code SmoothL1Loss}) of d = prediction - label: 0.5 d^2 / beta where |d| &lt; beta,
     * |d| - 0.5 beta beyond (Huber with delta = beta, divided by beta), times the configuration's per-output
     * weight. Its gradient is d / beta clipped to [-1, 1]. Output per element {@code [minibatch, outputs]}.
     */
    public SDVariable smoothL1(String name, SDVariable labels, SDVariable predictions, SDVariable weights,
            LossReduce reduce, SmoothL1 config) {
        return residualLoss("SDLosses.smoothL1", name, labels, predictions, weights, reduce, config,
                d -> clippedQuadratic(d, config.beta()).div(config.beta()));
    }

    /** Log-cosh loss without per-output weights; see {@link #logCosh(String, SDVariable, SDVariable,
     * SDVariable, LossReduce, LogCosh)}. */
    public SDVariable logCosh(String name, SDVariable labels, SDVariable predictions, SDVariable weights,
            LossReduce reduce) {
        return logCosh(name, labels, predictions, weights, reduce, new LogCosh(null));
    }

    /**
     * Log-cosh loss log cosh(d) of d = prediction - label, times the configuration's per-output weight; about
     * d^2 / 2 near the target and |d| - log 2 far from it, computed without overflow (finite for any finite
     * residual, e.g. |d| = 1e4 in double). Its gradient is tanh(d). Output per element
     * {@code [minibatch, outputs]}.
     */
    public SDVariable logCosh(String name, SDVariable labels, SDVariable predictions, SDVariable weights,
            LossReduce reduce, LogCosh config) {
        return residualLoss("SDLosses.logCosh", name, labels, predictions, weights, reduce, config,
                d -> StableOps.logCosh(sd, d));
    }

    /** A margin loss on labels in {-1, +1}; see {@link #margin(String, SDVariable, SDVariable, SDVariable,
     * LossReduce, MarginLoss)}. */
    public SDVariable margin(String name, SDVariable labels, SDVariable scores, SDVariable weights,
            LossReduce reduce, MarginFunction function) {
        return margin(name, labels, scores, weights, reduce,
                configure("SDLosses.margin", () -> new MarginLoss(function, MarginLabels.PLUS_MINUS_ONE)));
    }

    /**
     * A margin loss phi(z) per output, on the margin z = y f of a score f (the output layer's pre-activation,
     * identity activation) and a label y in {-1, +1}, or in {0, 1} mapped to y = 2 label - 1 with
     * {@link MarginLabels#ZERO_ONE}: hinge max(0, 1 - z), squared hinge max(0, 1 - z)^2, exponential exp(-z)
     * or logistic log(1 + exp(-z)) (a stable softplus, finite for any finite score). The gradient with respect
     * to the score is y phi'(z); hinge's is -y for z &lt; 1 and 0 from z = 1 on.
     *
     * <p>The exponential loss overflows where its value is not representable: exp(-z) is +infinity for
     * z &lt; -709.78 in double and z &lt; -88.72 in float, and so are its gradient and every sum or mean containing
     * it, as in the core and the DL4J adapter. Per-output weights (those of {@code LossMargin}) are a
     * {@code [1, outputs]} row passed as {@code weights}. Output per element {@code [minibatch, outputs]}.
     */
    public SDVariable margin(String name, SDVariable labels, SDVariable scores, SDVariable weights,
            LossReduce reduce, MarginLoss config) {
        return outsideWorkspaces(() -> {
            LossArguments args = LossArguments.elementwise("SDLosses.margin", "scores", labels, scores, weights,
                    reduce, config);
            args.checkConstantLabels(labels, config::checkLabels);
            SDVariable y = config.labels() == MarginLabels.ZERO_ONE ? args.labels().mul(2.0).sub(1.0)
                    : args.labels();
            SDVariable z = args.input().mul(y);
            SDVariable values = switch (config.function()) {
                case HINGE -> sd.nn().relu(z.rsub(1.0), 0.0);
                case SQUARED_HINGE -> {
                    SDVariable slack = sd.nn().relu(z.rsub(1.0), 0.0);
                    yield slack.mul(slack);
                }
                case EXPONENTIAL -> sd.math().exp(z.neg());
                // log(1 + exp(-z)) = softplus(-z); written literally it would be infinite from z = -710
                case LOGISTIC -> StableOps.softplus(sd, z.neg());
            };
            return LossReduction.apply(sd, name, values, args.weights(), reduce);
        });
    }

    /** KL divergence with targets in the given space; see {@link #klDivergence(String, SDVariable, SDVariable,
     * SDVariable, LossReduce, KLDivergence)}. */
    public SDVariable klDivergence(String name, SDVariable labels, SDVariable logits, SDVariable weights,
            LossReduce reduce, TargetSpace targetSpace) {
        return klDivergence(name, labels, logits, weights, reduce,
                configure("SDLosses.klDivergence", () -> new KLDivergence(targetSpace)));
    }

    /**
     * Kullback-Leibler divergence KL(y || p) = sum_c y_c (log y_c - log p_c) of target distributions y from
     * p = softmax(logits), computed through log-softmax (finite at logits of +/-1e4), with 0 log 0 = 0 (no NaN
     * in value or gradient for zero-probability targets). Targets are probabilities, or log-probabilities with
     * {@link TargetSpace#LOG_PROBABILITIES} (PyTorch's {@code log_target=True}; -infinity is probability 0).
     * Its gradient is cross-entropy's, p sum_c y_c - y; a perfect prediction scores 0. Output per example
     * {@code [minibatch]}.
     */
    public SDVariable klDivergence(String name, SDVariable labels, SDVariable logits, SDVariable weights,
            LossReduce reduce, KLDivergence config) {
        return outsideWorkspaces(() -> {
            LossArguments args = LossArguments.softmax("SDLosses.klDivergence", labels, logits, weights, reduce,
                    config);
            args.checkConstantLabels(labels, (builder, y) -> config.checkLabels(builder, y, LabelStats.of(y)));
            boolean logTargets = config.targetSpace() == TargetSpace.LOG_PROBABILITIES;
            SDVariable y = logTargets ? sd.math().exp(args.labels()) : args.labels();
            // the targets' entropy part y log y, with 0 log 0 = 0; it adds nothing to the logits' gradient
            SDVariable yLogY = logTargets ? StableOps.xLogXOfLog(sd, y, args.labels()) : StableOps.xLogX(sd, y);
            SDVariable logP = StableOps.logSoftmax(sd, args.input());
            SDVariable perExample = yLogY.sub(y.mul(logP)).sum(1);
            return LossReduction.apply(sd, name, perExample, args.weights(), reduce);
        });
    }

    /**
     * Learnable uncertainty weighting of several task losses (Kendall et al. 2018), every task in the
     * {@link UncertaintyWeightingForm#STANDARD} form exp(-s) L + s and every s = log sigma^2 starting at 0; see
     * {@link #uncertaintyWeighted(String, UncertaintyWeighting, SDVariable...)}.
     */
    public SDVariable uncertaintyWeighted(String name, SDVariable... taskLosses) {
        return uncertaintyWeighted(name, UncertaintyWeighting.standard(), taskLosses);
    }

    /**
     * Learnable uncertainty weighting of several task losses (Kendall et al. 2018): the scalar
     * sum_i c_i (exp(-s_i) L_i + s_i), with c_i = 1 or 1/2 by the task's {@link UncertaintyWeightingForm} and one
     * trainable s_i = log sigma_i^2 per task, initialised from {@code config}. The s_i are the variable
     * {@link UncertaintyWeighting#logVariancesName(String) logVariancesName(name)}, a vector in task order, in the
     * first task loss's data type; {@link UncertaintyWeighting#variances(SameDiff, String)} reads the learned
     * sigma^2. Each task loss must be a non-negative scalar (a mean, so that sigma^2 does not depend on the
     * minibatch size). The total is marked as a loss of the graph, and every loss variable it is computed from
     * (the task losses, as {@code SDLosses} marks them) stops being one, so that training counts each task once.
     */
    public SDVariable uncertaintyWeighted(String name, UncertaintyWeighting config, SDVariable... taskLosses) {
        return outsideWorkspaces(() -> UncertaintyWeighting.addTo(sd, name, config, taskLosses));
    }

    /**
     * Contrastive loss (Hadsell et al. 2006) on embeddings [minibatch, D], per pair with similarity y and distance
     * d: y max(0, d - positiveMargin)^2 + (1 - y) max(0, margin - d)^2, with the pairs, distance and margins of
     * {@code config} ({@link Contrastive}). Labels as in {@code LossContrastive}: the pair's similarity [2N, 1] on
     * both of its rows for {@code PairMode.CONSECUTIVE}; class ids [N, 1] or one-hot rows [N, K] for
     * {@code PairMode.ALL_IN_BATCH}, whose number of columns must be known while the graph is built. Returns the
     * scalar mean over pairs, DL4J's score for the same batch (0 for a batch of one row), named and marked as a
     * loss. Shapes known while building are checked then; constant labels are checked with the core's label check.
     */
    public SDVariable contrastive(String name, SDVariable labels, SDVariable embeddings, Contrastive config) {
        return outsideWorkspaces(() -> LossReduction.asLoss(sd, name,
                new MetricGraphs(sd).contrastive("SDLosses.contrastive", labels, embeddings, config)));
    }

    /**
     * Triplet loss on embeddings [minibatch, D]: hinge max(0, margin + d(a,p) - d(a,n)) or soft margin
     * log(1 + exp(d(a,p) - d(a,n))), optional swap, with the triplets mined in the graph as {@code config}'s
     * {@code Mining} says ({@link Triplet}). Labels as in {@code LossTriplet}: [3N, 1] (values ignored) for
     * {@code Mining.CONSECUTIVE}; class ids [N, 1] or one-hot rows [N, K] otherwise, whose number of columns must
     * be known while the graph is built. Returns the scalar mean (over triplets, anchors with a positive and a
     * negative, anchor-positive pairs, or active triplets for {@code BATCH_ALL} with the hinge), DL4J's score for
     * the same batch; anchors without a positive or a negative add nothing, and a batch of one class scores 0.
     * Named and marked as a loss. {@code BATCH_ALL} and {@code SEMI_HARD} hold [N, N, N] temporaries.
     */
    public SDVariable triplet(String name, SDVariable labels, SDVariable embeddings, Triplet config) {
        return outsideWorkspaces(() -> LossReduction.asLoss(sd, name,
                new MetricGraphs(sd).triplet("SDLosses.triplet", labels, embeddings, config)));
    }

    /**
     * A regression loss of the residual d = prediction - label: the checks, the per-element values
     * {@code perElement(d)}, the configuration's per-output weights and the reduction.
     */
    private SDVariable residualLoss(String builder, String name, SDVariable labels, SDVariable predictions,
            SDVariable weights, LossReduce reduce, ResidualLoss config, UnaryOperator<SDVariable> perElement) {
        return outsideWorkspaces(() -> {
            LossArguments args = LossArguments.elementwise(builder, "predictions", labels, predictions, weights,
                    reduce, config);
            double[] outputWeights = config.outputWeights();
            args.requireOneValuePerOutput("config.outputWeights", outputWeights, false);
            args.checkConstantLabels(labels, config::checkLabels);
            SDVariable values = perElement.apply(args.input().sub(args.labels()));
            if (outputWeights != null) {
                values = values.mul(row(outputWeights, values.dataType()));
            }
            return LossReduction.apply(sd, name, values, args.weights(), reduce);
        });
    }

    /**
     * m (|d| - 0.5 m) with m = min(|d|, limit), the core's form of Huber: 0.5 d^2 where |d| < limit and
     * limit (|d| - 0.5 limit) beyond. Its autodiff gradient, m' (|d| - m) + m sign(d), is exactly d inside
     * (where |d| - m = 0) and limit sign(d) outside (where m' = 0), and limit sign(d) at the kink either way.
     */
    private SDVariable clippedQuadratic(SDVariable d, double limit) {
        SDVariable abs = sd.math().abs(d);
        SDVariable m = sd.scalarMin(abs, limit);
        return abs.sub(m.mul(0.5)).mul(m);
    }

    /**
     * The configuration a primitive-parameter overload builds, with the builder's name in front of the core's
     * message when the core refuses a parameter, e.g. "SDLosses.huber: Huber: delta must be > 0, got -1.0".
     */
    private static <T> T configure(String builder, Supplier<T> config) {
        try {
            return config.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(builder + ": " + e.getMessage(), e);
        }
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
