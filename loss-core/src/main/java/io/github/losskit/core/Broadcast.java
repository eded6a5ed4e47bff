package io.github.losskit.core;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.BaseDynamicTransformOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Arithmetic between a matrix and a vector that is repeated along it: a column [rows, 1] or a row
 * [1, columns], in the matrix's data type.
 *
 * <p>Why not INDArray's {@code muliColumnVector} and its relatives: in ND4J 1.0.0-M2.1 they run as
 * scalar-along-dimension ops that build tensor-along-dimension shape buffers on every call, which made them
 * 2 to 5 times as slow as libnd4j's broadcasting pairwise ops at 256x10 and slower at every size up to
 * 4096x1000 (docs/benchmarks/optimizations.md). The broadcasting ops keep that lead only when they write to
 * an array other than their input: in place they ran at half speed from about 4096x128 up. So every method
 * here takes its output, which must not be {@code x}; callers hand over a temporary they no longer need.
 */
public final class Broadcast {

    private Broadcast() {
    }

    /** x * vector, written to {@code out} (a new array when {@code null}); returns the result. */
    public static INDArray mul(INDArray x, INDArray vector, INDArray out) {
        return run(MulOp::new, x, vector, out);
    }

    /** x / vector, written to {@code out} (a new array when {@code null}); returns the result. */
    public static INDArray div(INDArray x, INDArray vector, INDArray out) {
        return run(DivOp::new, x, vector, out);
    }

    /** x - vector, written to {@code out} (a new array when {@code null}); returns the result. */
    public static INDArray sub(INDArray x, INDArray vector, INDArray out) {
        return run(SubOp::new, x, vector, out);
    }

    /** x + vector, written to {@code out} (a new array when {@code null}); returns the result. */
    public static INDArray add(INDArray x, INDArray vector, INDArray out) {
        return run(AddOp::new, x, vector, out);
    }

    /** A broadcasting pairwise op of x and y into z. */
    private interface PairwiseOp {
        BaseDynamicTransformOp create(INDArray x, INDArray y, INDArray z);
    }

    private static INDArray run(PairwiseOp op, INDArray x, INDArray vector, INDArray out) {
        if (out == x) {
            throw new IllegalArgumentException("broadcast output must not be its input (in place runs at half"
                    + " speed on large arrays); pass another array or null");
        }
        INDArray result = out == null ? x.ulike() : out;
        Nd4j.exec(op.create(x, vector, result));
        return result;
    }
}
