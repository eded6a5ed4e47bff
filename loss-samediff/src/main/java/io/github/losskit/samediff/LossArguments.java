package io.github.losskit.samediff;

import java.util.Arrays;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The checked arguments of one builder call: labels and weights cast to the logits' data type, and the
 * minibatch size and number of outputs (classes) where the graph knows them.
 *
 * <p>Shapes are checked where SameDiff knows them while the graph is built (variables, constants and
 * placeholders, with -1 for an unknown dimension); results of other ops have no shape until they run and
 * are not checked. Each message names the builder, the argument and the shapes.
 *
 * @param minibatch the size of the first dimension, or -1 when unknown
 * @param outputs   the size of the last dimension, or -1 when unknown
 * @param shapes    the labels' and logits' shapes as given, for messages
 */
record LossArguments(String builder, SDVariable labels, SDVariable logits, SDVariable weights, long minibatch,
        long outputs, String shapes) {

    /** Arguments of a softmax loss, whose per-example output has shape [minibatch]. */
    static LossArguments softmax(String builder, SDVariable labels, SDVariable logits, SDVariable weights,
            LossReduce reduce, Object config) {
        LossArguments args = check(builder, labels, logits, weights, reduce, config);
        if (args.outputs == 1) {
            // besides being constant, a one-class graph fails at run time (reducing [minibatch, 1] along
            // dimension 1 throws a NullPointerException in ND4J)
            throw new IllegalArgumentException(builder + ": a softmax over 1 class is constant (the loss is 0); "
                    + args.shapes + ". For a single output use the sigmoid losses (binaryCrossEntropy,"
                    + " binaryFocal)");
        }
        long[] w = weights == null ? null : weights.getShape();
        if (w != null && !(w.length == 0 || (w.length == 1 && broadcasts(w[0], args.minibatch)))) {
            // a [minibatch, 1] column would broadcast against [minibatch] into [minibatch, minibatch]
            throw new IllegalArgumentException(builder + ": weights shape " + Arrays.toString(w)
                    + " does not fit the per-example loss [" + unknownAsStar(args.minibatch)
                    + "]; give a scalar or [minibatch] (reshape a [minibatch, 1] column to [minibatch])");
        }
        return args;
    }

    /** Arguments of an element-wise (sigmoid) loss, whose per-element output has the logits' shape. */
    static LossArguments sigmoid(String builder, SDVariable labels, SDVariable logits, SDVariable weights,
            LossReduce reduce, Object config) {
        LossArguments args = check(builder, labels, logits, weights, reduce, config);
        long[] w = weights == null ? null : weights.getShape();
        if (w != null && !(w.length == 0
                || (w.length == 2 && broadcasts(w[0], args.minibatch) && broadcasts(w[1], args.outputs)))) {
            throw new IllegalArgumentException(builder + ": weights shape " + Arrays.toString(w)
                    + " does not fit the per-element loss [" + unknownAsStar(args.minibatch) + ", "
                    + unknownAsStar(args.outputs) + "]; give a scalar, [minibatch, outputs], [1, outputs] or"
                    + " [minibatch, 1]");
        }
        return args;
    }

    /**
     * Checks that a per-output parameter of the configuration has one value per output (or a single value,
     * when that broadcasts), where the number of outputs is known.
     */
    void requireOneValuePerOutput(String parameter, double[] values, boolean singleValueBroadcasts) {
        if (values == null || outputs < 0 || values.length == outputs
                || (singleValueBroadcasts && values.length == 1)) {
            return;
        }
        throw new IllegalArgumentException(builder + ": " + parameter + " has " + values.length
                + " values but the logits have " + outputs + " outputs (" + shapes + "); give "
                + (singleValueBroadcasts ? "1 or " : "") + outputs + " values");
    }

    private static LossArguments check(String builder, SDVariable labels, SDVariable logits, SDVariable weights,
            LossReduce reduce, Object config) {
        requireNonNull(builder, "labels", labels);
        requireNonNull(builder, "logits", logits);
        requireNonNull(builder, "reduce", reduce);
        requireNonNull(builder, "config", config);
        DataType type = logits.dataType();
        if (type == null || !type.isFPType()) {
            throw new IllegalArgumentException(builder + ": logits must be floating point, got " + type);
        }
        long[] labelsShape = labels.getShape();
        long[] logitsShape = logits.getShape();
        requireRank2(builder, "logits", logitsShape);
        requireRank2(builder, "labels", labelsShape);
        String shapes = "labels shape " + describe(labelsShape) + ", logits shape " + describe(logitsShape);
        if (labelsShape != null && logitsShape != null
                && !(sameSize(labelsShape[0], logitsShape[0]) && sameSize(labelsShape[1], logitsShape[1]))) {
            throw new IllegalArgumentException(builder + ": labels shape " + Arrays.toString(labelsShape)
                    + " does not match logits shape " + Arrays.toString(logitsShape));
        }
        return new LossArguments(builder, castTo(labels, type), logits, weights == null ? null : castTo(weights, type),
                Math.max(dimension(logitsShape, 0), dimension(labelsShape, 0)),
                Math.max(dimension(logitsShape, 1), dimension(labelsShape, 1)), shapes);
    }

    private static void requireNonNull(String builder, String argument, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(builder + ": " + argument + " must not be null");
        }
    }

    private static void requireRank2(String builder, String argument, long[] shape) {
        if (shape != null && shape.length != 2) {
            throw new IllegalArgumentException(builder + ": " + argument + " must be 2-D [minibatch, outputs], got"
                    + " shape " + Arrays.toString(shape));
        }
    }

    /** Whether two dimensions can be equal; -1 means unknown. */
    private static boolean sameSize(long a, long b) {
        return a == -1 || b == -1 || a == b;
    }

    /** Whether a dimension of size {@code size} broadcasts against {@code target}; -1 means unknown. */
    private static boolean broadcasts(long size, long target) {
        return size == -1 || target == -1 || size == target || size == 1;
    }

    /** A dimension of a known 2-D shape, or -1 (unknown). */
    private static long dimension(long[] shape, int index) {
        return shape == null ? -1 : shape[index];
    }

    private static String describe(long[] shape) {
        return shape == null ? "unknown until run" : Arrays.toString(shape);
    }

    private static String unknownAsStar(long size) {
        return size < 0 ? "*" : Long.toString(size);
    }

    private static SDVariable castTo(SDVariable variable, DataType type) {
        return variable.dataType() == type ? variable : variable.castTo(type);
    }
}
