package io.github.losskit.core.metric;

import io.github.losskit.core.Checks;
import io.github.losskit.core.StableMath;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Which pairs of kept rows share a class, from labels that are class ids [N, 1] or one-hot rows [N, K].
 *
 * @param positive [N, N] 0/1: i != j, both kept, same class
 * @param negative [N, N] 0/1: both kept, different classes
 * @param allKept  whether no row is masked, which lets {@link #hardestPositiveCandidates} and
 *                 {@link #nearestNegativeCandidates} work from fewer [N, N] passes
 */
record InBatchPairs(INDArray positive, INDArray negative, boolean allKept) {

    static InBatchPairs of(INDArray labels, INDArray kept) {
        // class ids: a broadcast difference, because ND4J's array-array comparisons do not broadcast
        INDArray same = labels.size(1) == 1
                ? labels.sub(labels.reshape(1, labels.size(0))).eq(0.0).castTo(kept.dataType())
                : labels.mmul(labels.transpose());
        if (kept.minNumber().doubleValue() == 1) {
            INDArray negative = same.rsub(1.0);
            return new InBatchPairs(PairwiseDistances.zeroDiagonal(same), negative, true);
        }
        INDArray bothKept = kept.mmul(kept.transpose());
        INDArray negative = same.rsub(1.0).muli(bothKept);
        INDArray positive = PairwiseDistances.zeroDiagonal(same.muli(bothKept));
        return new InBatchPairs(positive, negative, false);
    }

    /**
     * The distances with every entry that is not a positive pair pushed to -far, so that a row's maximum is its
     * hardest positive and is -far exactly when the row has no positive; positive entries keep their distance
     * exactly.
     */
    INDArray hardestPositiveCandidates(INDArray distances, double far) {
        if (!allKept) {
            return positive.sub(1.0).muli(far).addi(distances);
        }
        // a x + y in one pass: -far on negative pairs, + 0 elsewhere; then the diagonal, which is no pair
        return PairwiseDistances.setDiagonal(StableMath.addScaled(distances, -far, negative), -far);
    }

    /** The distances with every entry that is not a negative pair pushed to +far (a row's minimum: its nearest negative). */
    INDArray nearestNegativeCandidates(INDArray distances, double far) {
        if (!allKept) {
            return negative.rsub(1.0).muli(far).addi(distances);
        }
        // the diagonal is no pair at all
        return PairwiseDistances.setDiagonal(StableMath.addScaled(distances, far, positive), far);
    }

    /**
     * Checks class labels: integer class ids [N, 1] or one-hot rows [N, K] on the kept rows (masked rows are
     * zero and skipped).
     */
    static void checkClassLabels(String lossName, String mode, INDArray labels, INDArray kept) {
        Checks.labelsFinite(lossName, labels);
        String shape = " (labels shape " + Arrays.toString(labels.shape()) + ")";
        if (labels.size(1) == 1) {
            INDArray fraction = labels.sub(Transforms.floor(labels, true));
            long worst = Nd4j.argMax(Transforms.abs(fraction, false)).getLong(0);
            double value = labels.getDouble(worst);
            if (value != Math.floor(value)) {
                throw new IllegalArgumentException(lossName + ": " + mode + " takes class ids [N, 1] (integers) or"
                        + " one-hot rows [N, K]; found the non-integer class id " + value + " in row " + worst
                        + shape);
            }
            return;
        }
        INDArray notBinary = labels.mul(labels.rsub(1.0));
        INDArray rowSumMismatch = Transforms.abs(labels.sum(true, 1).subi(kept), false);
        if (Transforms.abs(notBinary, false).maxNumber().doubleValue() != 0
                || rowSumMismatch.maxNumber().doubleValue() != 0) {
            long row = Nd4j.argMax(rowSumMismatch.addi(Transforms.abs(notBinary, false).sum(true, 1))).getLong(0);
            throw new IllegalArgumentException(lossName + ": " + mode + " takes class ids [N, 1] or one-hot rows"
                    + " [N, K] (one 1 per row, zeros elsewhere); row " + row + " is "
                    + Arrays.toString(labels.getRow(row).toDoubleVector()) + shape);
        }
    }
}
