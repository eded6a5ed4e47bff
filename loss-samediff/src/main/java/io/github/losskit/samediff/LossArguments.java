package io.github.losskit.samediff;

import java.util.Arrays;
import java.util.function.BiConsumer;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The checked arguments of one builder call: labels and weights cast to the input's data type, and the
 * minibatch size and number of outputs (classes) where the graph knows them.
 *
 * <p>Shapes are checked where SameDiff knows them while the graph is built (variables, constants and
 * placeholders, with -1 for an unknown dimension); results of other ops have no shape until they run and
 * are not checked. Each message names the builder, the argument and the shapes.
 *
 * @param builder   the builder's name for messages, e.g. {@code "SDLosses.huber"}
 * @param inputName the input's argument name for messages: {@code "logits"}, {@code "predictions"} or
 *                  {@code "scores"}
 * @param input     the logits, predictions or scores
 * @param minibatch the size of the first dimension, or -1 when unknown
 * @param outputs   the size of the last dimension, or -1 when unknown
 * @param shapes    the labels' and input's shapes as given, for messages
 */
record LossArguments(String builder, String inputName, SDVariable labels, SDVariable input, SDVariable weights,
        long minibatch, long outputs, String shapes) {

    /** Arguments of a softmax loss over logits, whose per-example output has shape [minibatch]. */
    static LossArguments softmax(String builder, SDVariable labels, SDVariable logits, SDVariable weights,
            LossReduce reduce, Object config) {
        LossArguments args = check(builder, "logits", labels, logits, weights, reduce, config);
        if (args.outputs == 1) {
            // besides having no gradient (p = 1 whatever the logit), a one-class graph fails at run time
            // (reducing [minibatch, 1] along dimension 1 throws a NullPointerException in ND4J)
            throw new IllegalArgumentException(builder + ": a softmax over 1 class is 1 whatever the logits (the"
                    + " loss has no gradient); " + args.shapes + ". For a single output use the sigmoid losses"
                    + " (binaryCrossEntropy, binaryFocal)");
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

    /**
     * Arguments of an element-wise loss (sigmoid, regression, margin), whose per-element output has the
     * input's shape.
     *
     * @param inputName {@code "logits"}, {@code "predictions"} or {@code "scores"}
     */
    static LossArguments elementwise(String builder, String inputName, SDVariable labels, SDVariable input,
            SDVariable weights, LossReduce reduce, Object config) {
        LossArguments args = check(builder, inputName, labels, input, weights, reduce, config);
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
                + " values but the " + inputName + " have " + outputs + " outputs (" + shapes + "); give "
                + (singleValueBroadcasts ? "1 or " : "") + outputs + " values");
    }

    /**
     * Runs the core's label check ({@code check.accept(builder, values)}, which throws
     * IllegalArgumentException) on labels whose values the graph holds while it is built: constants. The
     * values of placeholders, variables and op outputs are only known at run time and are not checked. The
     * values are given in the input's data type, as the DL4J adapters see them.
     *
     * @param original the labels as the caller gave them (before the cast to the input's data type)
     */
    void checkConstantLabels(SDVariable original, BiConsumer<String, INDArray> check) {
        if (original.getVariableType() != VariableType.CONSTANT) {
            return;
        }
        INDArray values = original.getArr();
        if (values != null) {
            DataType type = input.dataType();
            check.accept(builder, values.dataType() == type ? values : values.castTo(type));
        }
    }

    private static LossArguments check(String builder, String inputName, SDVariable labels, SDVariable input,
            SDVariable weights, LossReduce reduce, Object config) {
        requireNonNull(builder, "labels", labels);
        requireNonNull(builder, inputName, input);
        requireNonNull(builder, "reduce", reduce);
        requireNonNull(builder, "config", config);
        DataType type = input.dataType();
        if (type == null || !type.isFPType()) {
            throw new IllegalArgumentException(builder + ": " + inputName + " must be floating point, got " + type);
        }
        long[] labelsShape = labels.getShape();
        long[] inputShape = input.getShape();
        requireRank2(builder, inputName, inputShape);
        requireRank2(builder, "labels", labelsShape);
        String shapes = "labels shape " + describe(labelsShape) + ", " + inputName + " shape " + describe(inputShape);
        if (labelsShape != null && inputShape != null
                && !(sameSize(labelsShape[0], inputShape[0]) && sameSize(labelsShape[1], inputShape[1]))) {
            throw new IllegalArgumentException(builder + ": labels shape " + Arrays.toString(labelsShape)
                    + " does not match " + inputName + " shape " + Arrays.toString(inputShape));
        }
        return new LossArguments(builder, inputName, castTo(labels, type), input,
                weights == null ? null : castTo(weights, type),
                Math.max(dimension(inputShape, 0), dimension(labelsShape, 0)),
                Math.max(dimension(inputShape, 1), dimension(labelsShape, 1)), shapes);
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
