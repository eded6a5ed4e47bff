package io.github.losskit.dl4j;

import io.github.losskit.core.BatchLoss;
import io.github.losskit.core.Checks;
import io.github.losskit.core.LossEvaluator;
import io.github.losskit.core.LossResult;
import io.github.losskit.core.Need;
import java.util.Arrays;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The DL4J side of a loss on embeddings whose rows are compared with each other: labels with their own shape
 * (class ids, one-hot rows, pair similarities), per-example 0/1 masks only, and the activation with its chain
 * rule around {@link LossEvaluator#batch}. Masked pre-outputs are zeroed before the activation sees them.
 */
abstract class EmbeddingLossFunction extends AbstractLossFunction {

    private static final long serialVersionUID = 1L;

    /** The core loss; built lazily by the subclass, which also happens after Java deserialization. */
    protected abstract BatchLoss batchMath();

    @Override
    protected void checkShapes(String loss, INDArray labels, INDArray preOutput, INDArray mask) {
        Checks.rank2(loss, "preOutput", preOutput);
        Checks.rank2(loss, "labels", labels);
        if (labels.size(0) != preOutput.size(0)) {
            throw new IllegalArgumentException(loss + ": labels have " + labels.size(0) + " rows but preOutput"
                    + " has " + preOutput.size(0) + " (labels shape " + Arrays.toString(labels.shape())
                    + ", preOutput shape " + Arrays.toString(preOutput.shape()) + ")");
        }
        LossEvaluator.checkedRowMask(loss, mask, preOutput.size(0));
    }

    @Override
    protected final LossResult evaluate(INDArray labels, INDArray preOutput, IActivation activationFn,
            INDArray mask, Need need) {
        INDArray safePreOutput = LossEvaluator.zeroMasked(preOutput, mask);
        INDArray embeddings = activationFn.getActivation(safePreOutput.dup(), true);
        LossResult result = LossEvaluator.batch(lossName(), batchMath(), labels, embeddings, mask, need);
        if (!need.gradient()) {
            return result;
        }
        INDArray dLdPreOutput = activationFn.backprop(safePreOutput.dup(), result.gradient()).getFirst();
        return new LossResult(result.perExample(), dLdPreOutput);
    }
}
