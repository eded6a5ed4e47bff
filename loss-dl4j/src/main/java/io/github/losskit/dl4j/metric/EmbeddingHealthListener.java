package io.github.losskit.dl4j.metric;

import io.github.losskit.core.metric.Distance;
import io.github.losskit.core.metric.Mining;
import io.github.losskit.core.metric.PairMode;
import io.github.losskit.core.metric.TripletPenalty;
import io.github.losskit.dl4j.LossContrastive;
import io.github.losskit.dl4j.LossTriplet;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the embeddings of a network trained with {@link LossTriplet} or {@link LossContrastive} (in-batch
 * modes) and warns when training has gone wrong in the ways metric losses typically do.
 *
 * <p>Every {@code frequency} iterations it re-runs the network (inference mode) on the batch just fitted and,
 * from the output layer's activations (the embeddings) and the batch labels (class ids [N, 1] or one-hot),
 * computes {@link Statistics}: the fraction of active triplets or pairs (positive loss under the loss's margin
 * and distance), and the mean distance of same-class and of different-class pairs. It warns (slf4j) when
 * <ul>
 *   <li>the score is NaN, or</li>
 *   <li>the embeddings have collapsed: both mean distances are below {@code collapseTolerance} x margin while
 *       the score is within {@code collapseTolerance} (relative) of the score of fully collapsed embeddings
 *       (the margin for the triplet hinge, log 2 for the soft margin, the fraction of different-class pairs x
 *       margin^2 for contrastive pairs). A network that maps everything to one point sits there: the gradient
 *       of the hinge no longer separates anything and the loss stalls at the margin.</li>
 * </ul>
 *
 * <p>Active triplets are counted over all valid (anchor, positive, negative) triplets of the batch, whatever
 * the mining (so the fraction is comparable across minings), as m + d(a,p) - d(a,n) > 0. Under the soft margin
 * every triplet has positive loss, so there it counts the triplets still ordered wrongly, d(a,p) >= d(a,n).
 * Active contrastive pairs are same-class pairs farther apart
 * than the positive margin and different-class pairs closer than the margin. Counting triplets costs O(N^3)
 * memory for a batch of N rows.
 *
 * <p>The consecutive modes (LossTriplet CONSECUTIVE, LossContrastive CONSECUTIVE), whose labels are not class
 * ids, are not measured: the listener logs that once and does nothing. Only {@link MultiLayerNetwork} is
 * supported. The latest statistics are kept in {@link #latest()} (null until the first measurement); a
 * listener instance is meant for one network at a time.
 */
public final class EmbeddingHealthListener extends BaseTrainingListener {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingHealthListener.class);
    public static final double DEFAULT_COLLAPSE_TOLERANCE = 0.05;

    /**
     * One measurement. Distances are NaN when the batch has no same-class (or no different-class) pair,
     * {@code activeFraction} is NaN when it has no valid triplet or pair.
     *
     * @param collapseWarning the embeddings collapsed while the score sits at its collapsed value
     * @param nanScore        the score was NaN
     */
    public record Statistics(int iteration, int epoch, double score, double activeFraction,
            double meanPositiveDistance, double meanNegativeDistance, boolean collapseWarning, boolean nanScore) {
    }

    private final int frequency;
    private final double collapseTolerance;
    private final ILossFunction explicitLoss;
    private volatile Statistics latest;
    private boolean unsupportedLogged;

    /** Measures every {@code frequency} iterations with the loss of the network's output layer. */
    public EmbeddingHealthListener(int frequency) {
        this(frequency, DEFAULT_COLLAPSE_TOLERANCE, null);
    }

    /**
     * @param frequency         measure when iteration % frequency == 0 (>= 1)
     * @param collapseTolerance relative tolerance of the collapse test (> 0)
     * @param loss              the loss whose margin and distance to use; null for the output layer's
     */
    public EmbeddingHealthListener(int frequency, double collapseTolerance, ILossFunction loss) {
        if (frequency < 1) {
            throw new IllegalArgumentException("frequency must be >= 1, got " + frequency);
        }
        if (!(collapseTolerance > 0)) {
            throw new IllegalArgumentException("collapseTolerance must be > 0, got " + collapseTolerance);
        }
        if (loss != null && !measurable(loss)) {
            throw new IllegalArgumentException("need a LossTriplet with in-batch mining or a LossContrastive with "
                    + "ALL_IN_BATCH pairs, got " + loss);
        }
        this.frequency = frequency;
        this.collapseTolerance = collapseTolerance;
        this.explicitLoss = loss;
    }

    /** The most recent measurement, or null before the first. */
    public Statistics latest() {
        return latest;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (iteration % frequency != 0) {
            return;
        }
        if (!(model instanceof MultiLayerNetwork net)) {
            logUnsupportedOnce("only MultiLayerNetwork is supported, got " + model.getClass().getSimpleName());
            return;
        }
        ILossFunction loss = explicitLoss != null ? explicitLoss : outputLoss(net);
        if (loss == null || !measurable(loss)) {
            logUnsupportedOnce("the output layer's loss is not a LossTriplet with in-batch mining or a "
                    + "LossContrastive with ALL_IN_BATCH pairs: " + loss);
            return;
        }
        INDArray input = net.getInput();
        INDArray labels = net.getLabels();
        if (input == null || labels == null) {
            return;
        }
        // the training forward pass's activations are gone (workspaces) and were taken with dropout; one extra
        // inference pass every `frequency` iterations measures the embeddings the updated weights produce
        INDArray embeddings = net.output(input, false);
        measure(embeddings, labels, net.score(), loss, iteration, epoch);
    }

    /**
     * Measures {@code embeddings} [N, D] with class ids [N, 1] (or one-hot [N, C]) for a reported
     * {@code score}, logs any warning, stores and returns the statistics.
     */
    public Statistics measure(INDArray embeddings, INDArray labels, double score, ILossFunction loss,
            int iteration, int epoch) {
        if (!measurable(loss)) {
            throw new IllegalArgumentException("need a LossTriplet with in-batch mining or a LossContrastive with "
                    + "ALL_IN_BATCH pairs, got " + loss);
        }
        INDArray x = embeddings.castTo(DataType.DOUBLE);
        int n = (int) x.size(0);
        INDArray ids = labels.size(1) == 1 ? labels.castTo(DataType.DOUBLE).reshape(n, 1)
                : Nd4j.argMax(labels, 1).castTo(DataType.DOUBLE).reshape(n, 1);
        Distance distance = loss instanceof LossTriplet t ? t.getDistance() : ((LossContrastive) loss).getDistance();
        INDArray d = distance.pairwise(x).values();

        INDArray same = ids.broadcast(n, n).eq(ids.reshape(1, n).broadcast(n, n)).castTo(DataType.DOUBLE);
        INDArray positive = same.sub(Nd4j.eye(n).castTo(DataType.DOUBLE));
        INDArray negative = same.rsub(1.0);
        double positivePairs = positive.sumNumber().doubleValue();
        double negativePairs = negative.sumNumber().doubleValue();
        double meanPositive = d.mul(positive).sumNumber().doubleValue() / positivePairs;
        double meanNegative = d.mul(negative).sumNumber().doubleValue() / negativePairs;

        double active;
        double margin;
        double collapsedScore;
        if (loss instanceof LossTriplet triplet) {
            margin = triplet.getMargin();
            boolean soft = triplet.getPenalty() == TripletPenalty.SOFT_MARGIN;
            // t[a, p, q] = d(a, p) - d(a, q): a hinge triplet is active when t + m > 0
            INDArray dap = d.reshape(n, n, 1).broadcast(n, n, n);
            INDArray daq = d.reshape(n, 1, n).broadcast(n, n, n);
            INDArray valid = positive.reshape(n, n, 1).broadcast(n, n, n)
                    .mul(negative.reshape(n, 1, n).broadcast(n, n, n));
            INDArray violated = soft ? dap.sub(daq).gte(0.0) : dap.sub(daq).addi(margin).gt(0.0);
            active = violated.castTo(DataType.DOUBLE).muli(valid).sumNumber().doubleValue()
                    / valid.sumNumber().doubleValue();
            collapsedScore = soft ? Math.log(2.0) : margin;
        } else {
            LossContrastive contrastive = (LossContrastive) loss;
            margin = contrastive.getMargin();
            INDArray farPositives = d.gt(contrastive.getPositiveMargin()).castTo(DataType.DOUBLE).muli(positive);
            INDArray closeNegatives = d.lt(margin).castTo(DataType.DOUBLE).muli(negative);
            active = (farPositives.sumNumber().doubleValue() + closeNegatives.sumNumber().doubleValue())
                    / (positivePairs + negativePairs);
            collapsedScore = negativePairs / (positivePairs + negativePairs) * margin * margin;
        }

        boolean nanScore = Double.isNaN(score);
        double collapseDistance = collapseTolerance * margin;
        boolean distancesCollapsed = !(meanPositive >= collapseDistance) && meanNegative < collapseDistance;
        boolean atCollapsedScore = Math.abs(score - collapsedScore) <= collapseTolerance * collapsedScore;
        boolean collapseWarning = distancesCollapsed && atCollapsedScore && margin > 0;
        Statistics statistics = new Statistics(iteration, epoch, score, active, meanPositive, meanNegative,
                collapseWarning, nanScore);
        if (nanScore) {
            LOG.warn("iteration {}: the score is NaN ({})", iteration, statistics);
        }
        if (collapseWarning) {
            LOG.warn("iteration {}: embeddings have collapsed (mean positive distance {}, mean negative distance {}) "
                    + "and the score {} sits at the margin; lower the learning rate or check the data",
                    iteration, meanPositive, meanNegative, score);
        }
        latest = statistics;
        return statistics;
    }

    private static boolean measurable(ILossFunction loss) {
        return loss instanceof LossTriplet t && t.getMining() != Mining.CONSECUTIVE
                || loss instanceof LossContrastive c && c.getPairs() == PairMode.ALL_IN_BATCH;
    }

    private static ILossFunction outputLoss(MultiLayerNetwork net) {
        var conf = net.getOutputLayer().conf().getLayer();
        if (conf instanceof BaseOutputLayer output) {
            return output.getLossFn();
        }
        if (conf instanceof LossLayer lossLayer) {
            return lossLayer.getLossFn();
        }
        return null;
    }

    private void logUnsupportedOnce(String message) {
        if (!unsupportedLogged) {
            unsupportedLogged = true;
            LOG.info("EmbeddingHealthListener does nothing: {}", message);
        }
    }
}
