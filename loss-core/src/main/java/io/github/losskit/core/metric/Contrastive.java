package io.github.losskit.core.metric;

import io.github.losskit.core.BatchLoss;
import io.github.losskit.core.Checks;
import io.github.losskit.core.LossResult;
import io.github.losskit.core.Need;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Contrastive loss (Hadsell, Chopra, LeCun, "Dimensionality Reduction by Learning an Invariant Mapping", 2006)
 * over pairs of embeddings: per pair with similarity y (1 similar, 0 dissimilar) and distance d,
 * <pre>
 *   l = y max(0, d - m_pos)^2 + (1 - y) max(0, m_neg - d)^2
 * </pre>
 * with m_neg = {@code margin} (default 1) and m_pos = {@code positiveMargin} (default 0, which is Hadsell's
 * y d^2). d is the configured {@link Distance}; with {@link Distance#SQUARED_EUCLIDEAN} it is the squared
 * distance, squared again by the formula.
 *
 * <p>Pairs come from the {@link PairMode}. Batch convention: the total over the batch is rows x the mean over
 * pairs, where rows are the rows that take part, so that DL4J's score (total / minibatch size) is the mean over
 * pairs when nothing is masked:
 * <ul>
 *   <li>CONSECUTIVE: each pair's loss is written on both of its rows, so the total is 2 x the sum over pairs.
 *       A pair with a masked row is dropped (both rows 0).</li>
 *   <li>ALL_IN_BATCH: with K kept rows and P = K (K - 1) / 2 pairs, the total is K / P x the sum over pairs;
 *       row i gets K / P x half the losses of the pairs it belongs to.</li>
 * </ul>
 */
public final class Contrastive implements BatchLoss {

    static final String NAME = "Contrastive";

    public static final double DEFAULT_MARGIN = 1.0;
    public static final double DEFAULT_POSITIVE_MARGIN = 0.0;

    private final double margin;
    private final double positiveMargin;
    private final PairMode pairs;
    private final Distance distance;

    /**
     * @param margin         m_neg >= 0: dissimilar pairs closer than this are pushed apart
     * @param positiveMargin m_pos >= 0: similar pairs farther apart than this are pulled together
     */
    public Contrastive(double margin, double positiveMargin, PairMode pairs, Distance distance) {
        this.margin = Checks.nonNegative(NAME, "margin", margin);
        this.positiveMargin = Checks.nonNegative(NAME, "positiveMargin", positiveMargin);
        if (pairs == null) {
            throw new IllegalArgumentException(NAME + ": pairs (PairMode) must not be null");
        }
        if (distance == null) {
            throw new IllegalArgumentException(NAME + ": distance must not be null");
        }
        this.pairs = pairs;
        this.distance = distance;
    }

    /** Hadsell et al.: margin 1, consecutive pairs, Euclidean distance. */
    public Contrastive() {
        this(DEFAULT_MARGIN, DEFAULT_POSITIVE_MARGIN, PairMode.CONSECUTIVE, Distance.EUCLIDEAN);
    }

    public double margin() {
        return margin;
    }

    public double positiveMargin() {
        return positiveMargin;
    }

    public PairMode pairs() {
        return pairs;
    }

    public Distance distance() {
        return distance;
    }

    private String mode() {
        return "PairMode." + pairs;
    }

    @Override
    public void checkLabels(String lossName, INDArray labels, INDArray kept) {
        if (pairs == PairMode.ALL_IN_BATCH) {
            InBatchPairs.checkClassLabels(lossName, mode(), labels, kept);
            return;
        }
        String shape = " (labels shape " + Arrays.toString(labels.shape()) + ")";
        if (labels.size(1) != 1) {
            throw new IllegalArgumentException(lossName + ": " + mode() + " takes labels [2N, 1], the similarity"
                    + " of each pair (1 similar, 0 dissimilar) on both of its rows" + shape
                    + "; for class labels use PairMode.ALL_IN_BATCH");
        }
        if (labels.size(0) % 2 != 0) {
            throw new IllegalArgumentException(lossName + ": " + mode() + " pairs rows 2i and 2i+1, so the"
                    + " minibatch needs an even number of rows; got " + labels.size(0) + shape);
        }
        Checks.labelsInRange(lossName, labels, 0, 1);
        // in [0, 1], y (1 - y) is positive exactly for the values strictly between 0 and 1
        INDArray between = labels.mul(labels.rsub(1.0));
        if (between.maxNumber().doubleValue() != 0) {
            long row = Nd4j.argMax(between).getLong(0);
            throw new IllegalArgumentException(lossName + ": " + mode() + " labels must be 1 (similar) or 0"
                    + " (dissimilar); found " + labels.getDouble(row) + " in row " + row + shape);
        }
        INDArray byPair = labels.reshape(labels.size(0) / 2, 2);
        INDArray disagreement = Transforms.abs(byPair.getColumn(0, true).sub(byPair.getColumn(1, true)), false)
                .muli(pairKept(kept));
        if (disagreement.maxNumber().doubleValue() != 0) {
            long pair = Nd4j.argMax(disagreement).getLong(0);
            throw new IllegalArgumentException(lossName + ": " + mode() + " needs the same label on both rows of"
                    + " a pair; rows " + 2 * pair + " and " + (2 * pair + 1) + " have " + labels.getDouble(2 * pair)
                    + " and " + labels.getDouble(2 * pair + 1) + shape);
        }
    }

    /** [N/2, 1]: 1 for a pair whose two rows are kept. */
    private static INDArray pairKept(INDArray kept) {
        return kept.reshape(kept.size(0) / 2, 2).min(true, 1);
    }

    @Override
    public LossResult evaluate(INDArray labels, INDArray embeddings, INDArray kept, Need need) {
        return pairs == PairMode.CONSECUTIVE ? consecutive(labels, embeddings, kept, need)
                : allInBatch(labels, embeddings, kept, need);
    }

    /** Loss values and d loss / d distance per pair, for similarity y and distance d of the same shape. */
    private INDArray[] pairTerms(INDArray similar, INDArray d, INDArray counted, Need need) {
        INDArray dissimilar = similar.rsub(1.0).muli(counted);
        similar = similar.mul(counted);
        INDArray pull = Transforms.relu(d.sub(positiveMargin), false);
        INDArray push = Transforms.relu(d.rsub(margin), false);
        INDArray values = need.score() ? pull.mul(pull).muli(similar).addi(push.mul(push).muli(dissimilar)) : null;
        INDArray slopes = need.gradient() ? pull.muli(similar).subi(push.muli(dissimilar)).muli(2.0) : null;
        return new INDArray[] {values, slopes};
    }

    private LossResult consecutive(INDArray labels, INDArray embeddings, INDArray kept, Need need) {
        long rows = embeddings.size(0);
        long dimensions = embeddings.size(1);
        INDArray byPair = embeddings.dup('c').reshape(rows / 2, 2, dimensions);
        INDArray first = byPair.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all());
        INDArray second = byPair.get(NDArrayIndex.all(), NDArrayIndex.point(1), NDArrayIndex.all());
        RowDistances d = distance.rowwise(first, second);
        INDArray similar = labels.reshape(rows / 2, 2).getColumn(0, true).dup();
        INDArray[] terms = pairTerms(similar, d.values(), pairKept(kept), need);
        INDArray perRow = need.score() ? terms[0].repeat(1, 2).reshape(rows, 1) : null;
        INDArray gradient = null;
        if (need.gradient()) {
            // each pair's loss is counted on both of its rows
            INDArray[] g = d.backward(terms[1].muli(2.0));
            gradient = Nd4j.stack(1, g[0], g[1]).reshape(rows, dimensions);
        }
        return new LossResult(perRow, gradient);
    }

    private LossResult allInBatch(INDArray labels, INDArray embeddings, INDArray kept, Need need) {
        if (embeddings.size(0) < 2) {
            // no pair at all; also spares the [1, 1] products that ND4J cannot run in float16
            return LossResult.zero(embeddings, need);
        }
        InBatchPairs inBatch = InBatchPairs.of(labels, kept);
        PairwiseDistances d = distance.pairwise(embeddings);
        INDArray counted = inBatch.positive().add(inBatch.negative());
        INDArray[] terms = pairTerms(inBatch.positive(), d.values(), counted, need);
        double keptRows = kept.sumNumber().doubleValue();
        // every pair appears twice in the symmetric matrix, hence the half
        double scale = Averaging.scale(keptRows * (keptRows - 1) / 2, keptRows) / 2;
        INDArray perRow = need.score() ? terms[0].sum(true, 1).muli(scale) : null;
        INDArray gradient = need.gradient() ? d.backward(terms[1].muli(scale)) : null;
        return new LossResult(perRow, gradient);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Contrastive other && margin == other.margin && positiveMargin == other.positiveMargin
                && pairs == other.pairs && distance == other.distance;
    }

    @Override
    public int hashCode() {
        return Objects.hash(margin, positiveMargin, pairs, distance);
    }

    @Override
    public String toString() {
        return "Contrastive(margin=" + margin + ", positiveMargin=" + positiveMargin + ", " + pairs + ", " + distance
                + ")";
    }
}
