package io.github.losskit.core;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.Select;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one place where masks and weights meet the losses. A loss computes plain per-element terms (or, for
 * softmax losses, per-row values from targets); this class removes masked positions before the loss sees
 * them, applies masks and per-output weights, and sums over outputs.
 *
 * <p>Masked positions are selected out, not multiplied by zero: labels and inputs there are replaced by 0
 * before any arithmetic, so NaN or infinity in a masked position cannot reach the score or the gradient.
 * A mask is a column {@code [minibatch, 1]} (per example) or has the labels' shape (per output); its
 * values act as weights, so 0 removes a position and 1 keeps it.
 *
 * <p>Shapes are expected to have been checked by the caller ({@link Checks}).
 */
public final class LossEvaluator {

    /**
     * Up to this many values a total is summed in one reduction. Above it, row sums first keep float rounding
     * small (4M floats summed flat drift by about 2e-4 relative, row by row by 1e-6); below it both are as
     * accurate, and at small sizes the extra reduction, with the array it creates, costs more than the sum.
     */
    private static final long FLAT_SUM_LIMIT = 1 << 16;

    private LossEvaluator() {
    }

    /**
     * Evaluates an element-wise loss.
     *
     * @param outputWeights per-output weights [1, outputs] or {@code null}
     */
    public static LossResult elementwise(String lossName, ElementwiseLoss loss, INDArray labels, INDArray input,
            INDArray mask, INDArray outputWeights, Need need) {
        INDArray keep = keepCondition(mask);
        INDArray safeLabels = selectKept(keep, labels, loss.maskedLabel());
        INDArray safeInput = selectKept(keep, input, 0.0);
        if (need.score()) {
            loss.checkLabelsGivenFiniteScore(lossName, safeLabels);
        } else {
            loss.checkLabels(lossName, safeLabels);
        }
        ElementwiseTerms terms = loss.terms(safeLabels, safeInput, need);
        INDArray gradient = need.gradient()
                ? zeroWhereMasked(keep, weigh(owned(terms.derivatives(), safeLabels, safeInput), mask, outputWeights))
                : null;
        if (!need.score()) {
            return new LossResult(null, gradient);
        }
        INDArray values = zeroWhereMasked(keep, weigh(owned(terms.values(), safeLabels, safeInput), mask,
                outputWeights));
        INDArray perExample = need.perExample() || values.length() > FLAT_SUM_LIMIT ? values.sum(true, 1) : null;
        double total = (perExample != null ? perExample : values).sumNumber().doubleValue();
        if (!Double.isFinite(total)) {
            // a label the score-based check let through (NaN, say) shows up here; only the full check can
            // tell it from a non-finite input
            loss.checkLabels(lossName, safeLabels);
        }
        return LossResult.withTotal(perExample, gradient, total);
    }

    /**
     * Evaluates a softmax loss. Masks and the loss's class factors scale the per-class terms, which is the
     * same as scaling the targets, so they are folded into the targets and the loss never sees them.
     */
    public static LossResult softmax(String lossName, SoftmaxLoss loss, INDArray labels, INDArray logits,
            INDArray mask, Need need) {
        mask = perExampleMask(lossName, mask);
        INDArray keep = keepCondition(mask);
        INDArray safeLabels = selectKept(keep, labels, 0.0);
        INDArray safeLogits = selectKept(keep, logits, 0.0);
        LabelStats stats = LabelStats.of(safeLabels);
        loss.checkLabels(lossName, safeLabels, stats);
        if (stats.oneHotOrZeroRows() && loss instanceof OneHotSoftmaxLoss oneHot) {
            INDArray rowWeights = mask == null ? null : mask.castTo(logits.dataType());
            return oneHot.evaluateOneHot(safeLabels, stats.rowSums(), rowWeights, safeLogits, need);
        }
        INDArray targets = loss.targets(safeLabels);
        if (targets == labels) {
            targets = labels.dup();
        }
        INDArray classFactors = loss.classFactors(targets);
        INDArray constants = need.score() ? loss.constantTerms(safeLabels) : null;
        targets = weigh(targets, mask, classFactors);
        LossResult result = loss.evaluate(targets, safeLogits, need);
        if (constants == null) {
            return result;
        }
        INDArray perExample = result.perExample().addi(weigh(constants, mask, classFactors).sum(true, 1));
        return new LossResult(perExample, result.gradient());
    }

    /**
     * Evaluates a loss whose rows interact ({@link BatchLoss}). The mask must be a per-example column of 0/1
     * ({@link #checkedRowMask}); masked rows of labels and embeddings are replaced by zeros, so NaN there cannot
     * leak, and the loss leaves them out of every pair or triplet.
     */
    public static LossResult batch(String lossName, BatchLoss loss, INDArray labels, INDArray embeddings,
            INDArray mask, Need need) {
        Checks.rank2(lossName, "labels", labels);
        Checks.rank2(lossName, "embeddings", embeddings);
        if (labels.size(0) != embeddings.size(0)) {
            throw new IllegalArgumentException(lossName + ": labels have " + labels.size(0)
                    + " rows but the embeddings have " + embeddings.size(0) + " (labels shape "
                    + java.util.Arrays.toString(labels.shape()) + ", embeddings shape "
                    + java.util.Arrays.toString(embeddings.shape()) + "); give one label row per embedding row");
        }
        mask = checkedRowMask(lossName, mask, embeddings.size(0));
        INDArray keep = keepCondition(mask);
        INDArray safeLabels = selectKept(keep, labels, 0.0);
        INDArray safeEmbeddings = selectKept(keep, embeddings, 0.0);
        INDArray kept = mask == null ? Nd4j.ones(embeddings.dataType(), embeddings.size(0), 1)
                : keep.castTo(embeddings.dataType());
        loss.checkLabels(lossName, safeLabels, kept);
        return loss.evaluate(safeLabels, safeEmbeddings, kept, need);
    }

    /**
     * {@code mask} itself after checking that it is {@code null} or a [rows, 1] column of 0 (drop the row) and 1
     * (keep it). Rows that interact cannot be weighed or masked per output: a row either takes part in every
     * pair and triplet it belongs to or in none.
     */
    public static INDArray checkedRowMask(String lossName, INDArray mask, long rows) {
        if (mask == null) {
            return null;
        }
        if (mask.rank() != 2 || mask.size(0) != rows || mask.size(1) != 1) {
            throw new IllegalArgumentException(lossName + ": the rows of a batch are compared with each other, so"
                    + " a mask can only drop whole rows: give a per-example mask of shape [" + rows + ", 1]; got"
                    + " shape " + java.util.Arrays.toString(mask.shape()) + (mask.rank() == 2 && mask.size(0) == rows
                            ? " (per-output masks are not supported)" : ""));
        }
        boolean binary = mask.eq(0.0).castTo(mask.dataType()).addi(mask.eq(1.0).castTo(mask.dataType()))
                .minNumber().doubleValue() == 1.0;
        if (!binary) {
            throw new IllegalArgumentException(lossName + ": mask values must be 0 (drop the row) or 1 (keep it);"
                    + " found values from " + mask.minNumber() + " to " + mask.maxNumber() + " (mask shape "
                    + java.util.Arrays.toString(mask.shape()) + "). Rows that are compared with each other cannot"
                    + " be weighed");
        }
        return mask;
    }

    /**
     * A softmax couples every output of a row, so a mask can only remove or weigh whole rows. A per-output
     * mask whose rows are constant (as DL4J builds from time-step masks) is reduced to its column; any other
     * per-output mask is refused, as DL4J's own softmax losses do.
     */
    private static INDArray perExampleMask(String lossName, INDArray mask) {
        if (mask == null || mask.size(1) == 1) {
            return mask;
        }
        INDArray rowMax = mask.max(true, 1);
        if (!rowMax.equals(mask.min(true, 1))) {
            throw new IllegalArgumentException(lossName + ": a softmax couples all outputs of an example, so its"
                    + " mask must be per example ([" + mask.size(0) + ", 1]) or constant along each row; got a"
                    + " per-output mask of shape " + java.util.Arrays.toString(mask.shape())
                    + " that masks some outputs of a row and not others");
        }
        return rowMax;
    }

    /**
     * {@code terms} itself, or a copy when a loss handed back one of its arguments (a derivative equal to the
     * prediction, say): the evaluator weighs terms in place and must not write into the caller's arrays.
     */
    private static INDArray owned(INDArray terms, INDArray labels, INDArray input) {
        return terms == labels || terms == input ? terms.dup() : terms;
    }

    /**
     * {@code values} times the mask and the per-output weights, where given; {@code values} may be overwritten
     * and the result may be a new array.
     */
    private static INDArray weigh(INDArray values, INDArray mask, INDArray outputWeights) {
        INDArray spare = null;
        if (mask != null) {
            if (mask.size(1) == 1 && values.size(1) != 1) {
                spare = values;
                values = Broadcast.mul(values, mask.castTo(values.dataType()), null);
            } else {
                values.muli(mask.castTo(values.dataType()));
            }
        }
        if (outputWeights != null) {
            values = Broadcast.mul(values, outputWeights.castTo(values.dataType()), spare);
        }
        return values;
    }

    /**
     * {@code array} with masked positions (mask 0) replaced by 0, as a new array; {@code array} itself when
     * {@code mask} is null. Front ends that transform the input before the loss (an activation function)
     * call this first so that the transform never sees a masked NaN.
     */
    public static INDArray zeroMasked(INDArray array, INDArray mask) {
        return selectKept(keepCondition(mask), array, 0.0);
    }

    /**
     * Terms at masked positions are computed from sanitized inputs; a loss whose term is not finite there
     * (a user's log(a) at a = 0, say) would still leak NaN through the mask's multiplication by 0.
     */
    private static INDArray zeroWhereMasked(INDArray keep, INDArray values) {
        if (keep == null) {
            return values;
        }
        Nd4j.exec(new Select(new INDArray[] {keep, values, Nd4j.zeros(values.dataType(), values.shape())},
                new INDArray[] {values}));
        return values;
    }

    private static INDArray keepCondition(INDArray mask) {
        return mask == null ? null : mask.neq(0.0);
    }

    /** {@code array} where {@code keep} holds, {@code fill} elsewhere; {@code array} itself without a mask. */
    private static INDArray selectKept(INDArray keep, INDArray array, double fill) {
        if (keep == null) {
            return array;
        }
        // select needs both branches at full shape; the condition may be a [minibatch, 1] column
        INDArray result = Nd4j.valueArrayOf(array.shape(), fill, array.dataType());
        Nd4j.exec(new Select(new INDArray[] {keep, array, result}, new INDArray[] {result}));
        return result;
    }
}
