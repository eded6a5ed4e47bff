package io.github.losskit.samediff;

import io.github.losskit.samediff.LossCase.LabelDomain;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Reproducible random inputs in double precision: every array is drawn from its own seed. */
final class RandomInputs {

    /**
     * Hard labels are discrete (one-hot rows, 0/1, -1/+1); soft labels are continuous (distributions,
     * probabilities, real regression targets). {@link LabelDomain} says which kinds a loss has.
     */
    enum Labels {
        HARD,
        SOFT
    }

    private RandomInputs() {
    }

    /** Normal logits with standard deviation {@code scale}. */
    static INDArray logits(long seed, int minibatch, int outputs, double scale) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, minibatch, outputs).muli(scale);
    }

    /** Logits of magnitude {@code magnitude} with random signs. */
    static INDArray signedLogits(long seed, int minibatch, int outputs, double magnitude) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, minibatch, outputs).lt(0.5).castTo(DataType.DOUBLE).muli(2).subi(1)
                .muli(magnitude);
    }

    /** Valid labels of a loss: random labels of {@code labels} kind from {@code domain}. */
    static INDArray labels(long seed, LabelDomain domain, Labels labels, int minibatch, int outputs) {
        if (!domain.kinds.contains(labels)) {
            throw new IllegalArgumentException(domain + " has no " + labels + " labels; it has " + domain.kinds);
        }
        Nd4j.getRandom().setSeed(seed);
        INDArray uniform = Nd4j.rand(DataType.DOUBLE, minibatch, outputs);
        return switch (domain) {
            case DISTRIBUTION -> labels == Labels.HARD ? oneHot(seed, minibatch, outputs)
                    : uniform.diviColumnVector(uniform.sum(true, 1));
            // log 0 = -infinity where a one-hot row is 0
            case LOG_DISTRIBUTION -> Transforms.log(labels(seed, LabelDomain.DISTRIBUTION, labels, minibatch, outputs),
                    false);
            case BINARY -> labels == Labels.HARD ? uniform.lt(0.5).castTo(DataType.DOUBLE) : uniform;
            case SIGNS -> uniform.lt(0.5).castTo(DataType.DOUBLE).muli(2).subi(1);
            case ZERO_ONE -> uniform.lt(0.5).castTo(DataType.DOUBLE);
            case REAL -> Nd4j.randn(DataType.DOUBLE, minibatch, outputs).muli(2);
        };
    }

    /** Labels of the case's domain, of the wanted kind where the domain has it (else its only kind). */
    static INDArray labels(long seed, LossCase c, Labels wanted, int minibatch) {
        return labels(seed, c.labelDomain(), c.labelDomain().closest(wanted), minibatch, c.outputs());
    }

    /** Non-negative weights in [0, 2) of the given shape; the first and some others are exact zeros. */
    static INDArray weights(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        INDArray weights = Nd4j.rand(DataType.DOUBLE, shape).muli(2);
        // values below 0.4 become exact zeros, so that zero weights are exercised
        weights.muli(weights.gt(0.4).castTo(DataType.DOUBLE));
        return weights.putScalar(0, 0.0);
    }

    private static INDArray oneHot(long seed, int minibatch, int classes) {
        int[] targets = new Random(seed).ints(minibatch, 0, classes).toArray();
        return Nd4j.eye(classes).castTo(DataType.DOUBLE).getRows(targets);
    }
}
