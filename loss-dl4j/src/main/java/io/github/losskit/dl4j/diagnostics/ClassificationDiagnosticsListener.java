package io.github.losskit.dl4j.diagnostics;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health readings of a classifier during training, every {@code frequency} iterations: whether the score is
 * NaN/Inf, the share of saturated logits, and the loss per class on the current minibatch.
 *
 * <p>Works with a {@link MultiLayerNetwork} whose output layer is a dense {@code OutputLayer} with a softmax or
 * sigmoid activation; other networks are ignored (one warning). Saturation: for sigmoid, the share of logits
 * with |logit| above the threshold; for softmax (which is shift-invariant, so the size of a logit says
 * nothing) the share of rows whose top-two logit gap exceeds the threshold. Per-class loss: the mean of the
 * output layer's own {@link ILossFunction#computeScoreArray} over the examples of each class (softmax: the
 * class of the label's largest entry; sigmoid with one output: label 0 or 1; sigmoid with K outputs: the
 * examples whose label for that output is at least 0.5, so classes overlap); NaN for a class absent from the
 * batch. Label masks are not applied.
 *
 * <p>Thread-safety: one listener per network; {@link #latest()} may be read from any thread.
 */
public class ClassificationDiagnosticsListener extends BaseTrainingListener {

    private static final Logger log = LoggerFactory.getLogger(ClassificationDiagnosticsListener.class);

    /** One set of readings; arrays are copied in and out so the record stays immutable. */
    public record Reading(long iteration, int epoch, double score, boolean scoreFinite, boolean logitsFinite,
            double saturatedShare, double[] perClassLoss, long[] perClassCount) {

        public Reading {
            perClassLoss = perClassLoss.clone();
            perClassCount = perClassCount.clone();
        }

        @Override
        public double[] perClassLoss() {
            return perClassLoss.clone();
        }

        @Override
        public long[] perClassCount() {
            return perClassCount.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Reading r && iteration == r.iteration && epoch == r.epoch
                    && Double.compare(score, r.score) == 0 && scoreFinite == r.scoreFinite
                    && logitsFinite == r.logitsFinite && Double.compare(saturatedShare, r.saturatedShare) == 0
                    && Arrays.equals(perClassLoss, r.perClassLoss) && Arrays.equals(perClassCount, r.perClassCount);
        }

        @Override
        public int hashCode() {
            return Objects.hash(iteration, epoch, score, scoreFinite, logitsFinite, saturatedShare,
                    Arrays.hashCode(perClassLoss), Arrays.hashCode(perClassCount));
        }

        @Override
        public String toString() {
            return "Reading[iteration=" + iteration + ", epoch=" + epoch + ", score=" + score + ", logitsFinite="
                    + logitsFinite + ", saturatedShare=" + saturatedShare + ", perClassLoss="
                    + Arrays.toString(perClassLoss) + ", perClassCount=" + Arrays.toString(perClassCount) + "]";
        }
    }

    public static final double DEFAULT_SATURATION_THRESHOLD = 15.0;
    /** Share of saturated logits above which a warning is logged. */
    public static final double DEFAULT_WARN_SATURATED_SHARE = 0.5;

    private final int frequency;
    private final double saturationThreshold;
    private final double warnSaturatedShare;
    private volatile Reading latest;
    // logits and labels of the iteration to read, taken on the forward pass: after it the workspaces are reused
    // and the update changes the weights, so the readings would no longer match the iteration's score
    private INDArray capturedLogits;
    private INDArray capturedLabels;
    private boolean warnedUnsupported;

    public ClassificationDiagnosticsListener(int frequency) {
        this(frequency, DEFAULT_SATURATION_THRESHOLD, DEFAULT_WARN_SATURATED_SHARE);
    }

    public ClassificationDiagnosticsListener(int frequency, double saturationThreshold, double warnSaturatedShare) {
        if (frequency < 1) {
            throw new IllegalArgumentException("frequency must be >= 1, got " + frequency);
        }
        if (!(saturationThreshold > 0) || Double.isInfinite(saturationThreshold)) {
            throw new IllegalArgumentException("saturationThreshold must be positive and finite, got "
                    + saturationThreshold);
        }
        if (!(warnSaturatedShare >= 0 && warnSaturatedShare <= 1)) {
            throw new IllegalArgumentException("warnSaturatedShare must be in [0, 1], got " + warnSaturatedShare);
        }
        this.frequency = frequency;
        this.saturationThreshold = saturationThreshold;
        this.warnSaturatedShare = warnSaturatedShare;
    }

    /** The latest readings, or null before the first. */
    public Reading latest() {
        return latest;
    }

    public int frequency() {
        return frequency;
    }

    public double saturationThreshold() {
        return saturationThreshold;
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        if (!(model instanceof MultiLayerNetwork net) || outputLayerConf(net) == null
                || net.getIterationCount() % frequency != 0 || activations.isEmpty()) {
            return;
        }
        INDArray labels = net.getLabels();
        if (labels == null) {
            return;
        }
        // DL4J's training pass reports the activations up to the output layer's input, not its output
        INDArray input = activations.get(activations.size() - 1);
        Layer output = net.getOutputLayer();
        INDArray w = output.getParam("W");
        INDArray b = output.getParam("b");
        if (w == null || input.rank() != 2 || input.size(1) != w.size(0)) {
            return;
        }
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            INDArray logits = input.castTo(w.dataType()).mmul(w);
            if (b != null) {
                logits.addiRowVector(b);
            }
            capturedLogits = logits;
            capturedLabels = labels.dup();
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (!(model instanceof MultiLayerNetwork net)) {
            warnUnsupported("not a MultiLayerNetwork: " + model.getClass().getName());
            return;
        }
        org.deeplearning4j.nn.conf.layers.BaseOutputLayer conf = outputLayerConf(net);
        if (conf == null) {
            warnUnsupported("output layer is not a dense softmax/sigmoid OutputLayer");
            return;
        }
        if (capturedLogits == null) {
            return;
        }
        INDArray logits = capturedLogits;
        INDArray labels = capturedLabels;
        capturedLogits = null;
        capturedLabels = null;
        Reading reading = read(logits, labels, conf.getActivationFn(), conf.getLossFn(), model.score(), iteration,
                epoch, saturationThreshold);
        latest = reading;
        warn(reading);
    }

    /**
     * The readings for pre-activation {@code logits} [N, K] and {@code labels} [N, K] under {@code activation}
     * (softmax or sigmoid) and {@code loss}; what the listener computes, usable on its own.
     */
    public static Reading read(INDArray logits, INDArray labels, IActivation activation, ILossFunction loss,
            double score, long iteration, int epoch, double saturationThreshold) {
        boolean softmax = activation instanceof ActivationSoftmax;
        if (!softmax && !(activation instanceof ActivationSigmoid)) {
            throw new IllegalArgumentException("softmax or sigmoid activation required, got " + activation);
        }
        if (logits.rank() != 2 || !Arrays.equals(logits.shape(), labels.shape())) {
            throw new IllegalArgumentException("logits and labels must be [N, K] of one shape, got "
                    + Arrays.toString(logits.shape()) + " and " + Arrays.toString(labels.shape()));
        }
        // statistics in DOUBLE: a HALF network's logits would overflow sums and lose counts above 2048
        INDArray z = logits.castTo(DataType.DOUBLE);
        INDArray y = labels.castTo(DataType.DOUBLE);
        long rows = z.size(0);
        long k = z.size(1);
        boolean logitsFinite = !(z.isNaN().any() || z.isInfinite().any());

        double saturated;
        if (softmax && k >= 2) {
            INDArray sorted = Nd4j.sort(z.dup(), 1, false);
            INDArray gap = sorted.getColumn(0).sub(sorted.getColumn(1));
            saturated = gap.gt(saturationThreshold).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        } else {
            saturated = Transforms.abs(z, true).gt(saturationThreshold).castTo(DataType.DOUBLE).meanNumber()
                    .doubleValue();
        }

        INDArray membership;
        if (softmax) {
            membership = Nd4j.zeros(DataType.DOUBLE, rows, k);
            INDArray argMax = Nd4j.argMax(y, 1);
            for (long r = 0; r < rows; r++) {
                membership.putScalar(r, argMax.getLong(r), 1.0);
            }
        } else if (k == 1) {
            INDArray positive = y.gte(0.5).castTo(DataType.DOUBLE);
            membership = Nd4j.hstack(positive.rsub(1.0), positive);
        } else {
            membership = y.gte(0.5).castTo(DataType.DOUBLE);
        }
        // the loss sees the network's own data type, as during training
        INDArray perExample = loss.computeScoreArray(labels.castTo(logits.dataType()), logits.dup(),
                activation, null).castTo(DataType.DOUBLE).reshape(rows, 1);
        INDArray sums = membership.transpose().mmul(perExample);
        INDArray counts = membership.sum(0);
        int classes = (int) membership.size(1);
        double[] perClass = new double[classes];
        long[] perClassCount = new long[classes];
        for (int c = 0; c < classes; c++) {
            perClassCount[c] = Math.round(counts.getDouble(c));
            perClass[c] = perClassCount[c] == 0 ? Double.NaN : sums.getDouble(c, 0) / perClassCount[c];
        }
        return new Reading(iteration, epoch, score, Double.isFinite(score), logitsFinite, saturated, perClass,
                perClassCount);
    }

    private void warn(Reading reading) {
        if (!reading.scoreFinite()) {
            log.warn("iteration {}: score is {}", reading.iteration(), reading.score());
        }
        if (!reading.logitsFinite()) {
            log.warn("iteration {}: output logits contain NaN or Inf", reading.iteration());
        }
        if (reading.saturatedShare() > warnSaturatedShare) {
            log.warn("iteration {}: {}% of logits saturated (threshold {})", reading.iteration(),
                    Math.round(100 * reading.saturatedShare()), saturationThreshold);
        }
    }

    private void warnUnsupported(String why) {
        if (!warnedUnsupported) {
            warnedUnsupported = true;
            log.warn("ClassificationDiagnosticsListener takes no readings: {}", why);
        }
    }

    private static org.deeplearning4j.nn.conf.layers.BaseOutputLayer outputLayerConf(MultiLayerNetwork net) {
        Layer output = net.getOutputLayer();
        if (output == null || !(output.conf().getLayer()
                instanceof org.deeplearning4j.nn.conf.layers.OutputLayer conf)) {
            return null;
        }
        IActivation activation = conf.getActivationFn();
        return activation instanceof ActivationSoftmax || activation instanceof ActivationSigmoid ? conf : null;
    }
}
