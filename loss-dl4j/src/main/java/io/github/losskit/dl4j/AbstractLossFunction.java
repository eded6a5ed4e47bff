package io.github.losskit.dl4j;

import io.github.losskit.core.Checks;
import io.github.losskit.core.LossResult;
import io.github.losskit.core.Need;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The DL4J contract shared by every LossKit loss: argument checks, data types, and the four
 * {@link ILossFunction} entry points mapped onto one evaluation that computes the score, the gradient or
 * both together.
 *
 * <p>Conventions (DL4J's): labels, pre-activations and masks are 2-D ({@code RnnOutputLayer} reshapes 3-D
 * data before calling a loss); the gradient is with respect to the pre-activation and is the gradient of the
 * summed (not averaged) score; {@code average} divides the summed score by the number of rows.
 */
public abstract class AbstractLossFunction implements ILossFunction {

    private static final long serialVersionUID = 1L;

    /**
     * Evaluates the loss on checked arguments: same-shaped 2-D labels and pre-activations, labels in the
     * pre-activations' data type, and a mask that is null, a column, or of the labels' shape.
     */
    protected abstract LossResult evaluate(INDArray labels, INDArray preOutput, IActivation activationFn,
            INDArray mask, Need need);

    /** The loss's name in messages: its simple class name. */
    protected String lossName() {
        return getClass().getSimpleName();
    }

    private LossResult checkedEvaluate(INDArray labels, INDArray preOutput, IActivation activationFn,
            INDArray mask, Need need) {
        String loss = lossName();
        if (labels == null || preOutput == null) {
            throw new IllegalArgumentException(loss + ": labels and preOutput must not be null");
        }
        checkShapes(loss, labels, preOutput, mask);
        if (!preOutput.dataType().isFPType()) {
            throw new IllegalArgumentException(loss + ": preOutput must be floating point, got "
                    + preOutput.dataType());
        }
        INDArray typedLabels = labels.dataType() == preOutput.dataType() ? labels
                : labels.castTo(preOutput.dataType());
        return evaluate(typedLabels, preOutput, activationFn, mask, need);
    }

    /**
     * Checks the shapes of the arguments: by default 2-D labels and pre-activations of the same shape and a mask
     * that is a column or of the labels' shape. Losses whose labels have another shape override this.
     */
    protected void checkShapes(String loss, INDArray labels, INDArray preOutput, INDArray mask) {
        Checks.rank2(loss, "preOutput", preOutput);
        Checks.sameShape(loss, "labels", labels, "preOutput", preOutput);
        Checks.maskShape(loss, mask, labels);
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean average) {
        double total = checkedEvaluate(labels, preOutput, activationFn, mask, Need.TOTAL).total();
        return average ? total / preOutput.size(0) : total;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn,
            INDArray mask) {
        return checkedEvaluate(labels, preOutput, activationFn, mask, Need.SCORE).perExample();
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn,
            INDArray mask) {
        return checkedEvaluate(labels, preOutput, activationFn, mask, Need.GRADIENT).gradient();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
            IActivation activationFn, INDArray mask, boolean average) {
        LossResult result = checkedEvaluate(labels, preOutput, activationFn, mask, Need.TOTAL_AND_GRADIENT);
        double total = result.total();
        return new Pair<>(average ? total / preOutput.size(0) : total, result.gradient());
    }

    @Override
    public String name() {
        return toString();
    }
}
