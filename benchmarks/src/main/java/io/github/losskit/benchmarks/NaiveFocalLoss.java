package io.github.losskit.benchmarks;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The softmax focal loss a DL4J user would write first: probabilities from the activation, plain
 * element-wise ops with Transforms.pow, the derivative with respect to p, and the activation's backprop
 * for the chain rule. A baseline only: it clips p and is not numerically careful.
 */
public final class NaiveFocalLoss implements ILossFunction {

    private static final long serialVersionUID = 1L;

    private final double gamma;
    private final double alpha;

    public NaiveFocalLoss(double gamma, double alpha) {
        this.gamma = gamma;
        this.alpha = alpha;
    }

    private INDArray scoreArray(INDArray labels, INDArray p) {
        INDArray logP = Transforms.log(Transforms.max(p, 1e-10, true), false);
        INDArray modulating = Transforms.pow(p.rsub(1.0), gamma, false);
        return labels.mul(modulating).muli(logP).muli(-alpha).sum(true, 1);
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean average) {
        double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum / preOutput.size(0) : sum;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return scoreArray(labels, activationFn.getActivation(preOutput.dup(), true));
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray p = activationFn.getActivation(preOutput.dup(), true);
        INDArray clipped = Transforms.max(p, 1e-10, true);
        INDArray oneMinusP = p.rsub(1.0);
        // dL/dp = -alpha y [(1 - p)^gamma / p - gamma (1 - p)^(gamma - 1) log p]
        INDArray first = Transforms.pow(oneMinusP, gamma, true).divi(clipped);
        INDArray second = Transforms.pow(oneMinusP, gamma - 1, true).muli(Transforms.log(clipped, true)).muli(gamma);
        INDArray dLdp = first.subi(second).muli(labels).muli(-alpha);
        return activationFn.backprop(preOutput.dup(), dLdp).getFirst();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
            INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return "NaiveFocalLoss";
    }
}
