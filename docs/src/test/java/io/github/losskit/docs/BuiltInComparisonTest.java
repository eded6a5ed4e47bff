package io.github.losskit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.core.margin.MarginFunction;
import io.github.losskit.dl4j.LossBinaryCrossEntropy;
import io.github.losskit.dl4j.LossCrossEntropy;
import io.github.losskit.dl4j.LossFocal;
import io.github.losskit.dl4j.LossHuber;
import io.github.losskit.dl4j.LossKLDivergence;
import io.github.losskit.dl4j.LossMargin;
import io.github.losskit.dl4j.LossSmoothL1;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossHinge;
import org.nd4j.linalg.lossfunctions.impl.LossKLD;
import org.nd4j.linalg.lossfunctions.impl.LossMAE;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.nd4j.linalg.lossfunctions.impl.LossSquaredHinge;

/**
 * Backs the "Replacing DL4J built-ins" sections of the loss pages: where LossKit agrees with DL4J's own losses
 * and where, numerically, it does not.
 */
class BuiltInComparisonTest {

    private static final IActivation SOFTMAX = new ActivationSoftmax();
    private static final IActivation SIGMOID = new ActivationSigmoid();
    private static final IActivation IDENTITY = new ActivationIdentity();

    private static final INDArray MODERATE_LOGITS = Direct.doubles(new double[][] {
            {1.5, -0.5, 0.2}, {-2.0, 3.0, 0.1}, {0.0, 0.0, 0.0}, {4.0, -4.0, 1.0}});
    private static final INDArray ONE_HOT = Direct.doubles(new double[][] {
            {1, 0, 0}, {0, 0, 1}, {0, 1, 0}, {0, 1, 0}});
    private static final INDArray MULTI_LABEL = Direct.doubles(new double[][] {
            {1, 0, 1}, {0, 0, 1}, {1, 1, 0}, {0, 1, 0}});

    private static void assertSameScoreAndGradient(ILossFunction expected, ILossFunction actual, INDArray labels,
            INDArray logits, IActivation activation, double tolerance) {
        INDArray expectedScores = expected.computeScoreArray(labels, logits.dup(), activation, null);
        INDArray actualScores = actual.computeScoreArray(labels, logits.dup(), activation, null);
        for (int n = 0; n < labels.size(0); n++) {
            assertEquals(expectedScores.getDouble(n), actualScores.getDouble(n), tolerance, "score of example " + n);
        }
        INDArray expectedGradient = expected.computeGradient(labels, logits.dup(), activation, null);
        INDArray actualGradient = actual.computeGradient(labels, logits.dup(), activation, null);
        for (int i = 0; i < labels.length(); i++) {
            assertEquals(expectedGradient.getDouble(i), actualGradient.getDouble(i), tolerance, "gradient " + i);
        }
    }

    @Test
    void crossEntropyEqualsLossMcxentAwayFromSaturation() {
        assertSameScoreAndGradient(new LossMCXENT(), new LossCrossEntropy(), ONE_HOT, MODERATE_LOGITS, SOFTMAX,
                1e-9);
        double[] weights = {1.0, 2.5, 0.5};
        assertSameScoreAndGradient(new LossMCXENT(Nd4j.createFromArray(weights)),
                LossCrossEntropy.builder().weights(weights).build(), ONE_HOT, MODERATE_LOGITS, SOFTMAX, 1e-9);
    }

    @Test
    void focalWithGammaZeroAndPerClassAlphaEqualsWeightedLossMcxent() {
        double[] weights = {1.0, 2.5, 0.5};
        assertSameScoreAndGradient(new LossMCXENT(Nd4j.createFromArray(weights)),
                LossFocal.builder().gamma(0).alpha(weights).build(), ONE_HOT, MODERATE_LOGITS, SOFTMAX, 1e-9);
    }

    @Test
    void lossMcxentCapsTheScoreWhereCrossEntropyKeepsGrowing() {
        INDArray labels = Direct.doubles(new double[][] {{1, 0}});
        INDArray logits = Direct.doubles(new double[][] {{0, 30}});
        double capped = new LossMCXENT().computeScore(labels, logits.dup(), SOFTMAX, null, false);
        assertEquals(-Math.log(1e-10), capped, 1e-6, "LossMCXENT clips p at 1e-10: at most 23.03 per example");
        double exact = new LossCrossEntropy().computeScore(labels, logits.dup(), SOFTMAX, null, false);
        assertEquals(30.0, exact, 1e-12, "-log softmax = the logit margin for a confidently wrong prediction");
    }

    @Test
    void binaryCrossEntropyEqualsLossBinaryXentAwayFromSaturation() {
        assertSameScoreAndGradient(new LossBinaryXENT(), new LossBinaryCrossEntropy(), MULTI_LABEL,
                MODERATE_LOGITS, SIGMOID, 1e-5);
        double[] weights = {1.0, 3.0, 0.5};
        assertSameScoreAndGradient(new LossBinaryXENT(Nd4j.createFromArray(weights)),
                LossBinaryCrossEntropy.builder().weights(weights).build(), MULTI_LABEL, MODERATE_LOGITS, SIGMOID,
                1e-5);
    }

    @Test
    void lossBinaryXentCapsTheScoreAndItsGradientVanishesWhenConfidentlyWrong() {
        INDArray label = Direct.doubles(new double[][] {{1}});
        INDArray logit = Direct.doubles(new double[][] {{-20}});

        double cappedScore = new LossBinaryXENT().computeScore(label, logit.dup(), SIGMOID, null, false);
        assertEquals(-Math.log(1e-5), cappedScore, 1e-3, "LossBinaryXENT clips p at 1e-5: at most 11.51 per output");
        double vanishing = new LossBinaryXENT().computeGradient(label, logit.dup(), SIGMOID, null).getDouble(0);
        assertTrue(Math.abs(vanishing) < 1e-3, "built-in gradient " + vanishing);

        LossBinaryCrossEntropy bce = new LossBinaryCrossEntropy();
        assertEquals(20.0, bce.computeScore(label, logit.dup(), SIGMOID, null, false), 1e-8);
        // sigmoid(x) - y: the full -1 for a confidently wrong output
        assertEquals(-1.0, bce.computeGradient(label, logit.dup(), SIGMOID, null).getDouble(0), 1e-8);
    }

    @Test
    void lossBinaryXentOverwritesItsPreOutputArgumentLossKitDoesNot() {
        INDArray logits = MODERATE_LOGITS.dup();
        new LossBinaryXENT().computeGradient(MULTI_LABEL, logits, SIGMOID, null);
        assertNotEquals(MODERATE_LOGITS, logits, "observed in DL4J 1.0.0-M2.1; update the page if this changes");

        for (ILossFunction loss : new ILossFunction[] {new LossBinaryCrossEntropy(), new LossFocal()}) {
            INDArray untouched = MODERATE_LOGITS.dup();
            INDArray labels = MULTI_LABEL.dup();
            loss.computeGradientAndScore(labels, untouched, SIGMOID, null, false);
            assertEquals(MODERATE_LOGITS, untouched, loss.toString());
            assertEquals(MULTI_LABEL, labels, loss.toString());
        }
        for (ILossFunction loss : new ILossFunction[] {new LossCrossEntropy(), new LossFocal()}) {
            INDArray untouched = MODERATE_LOGITS.dup();
            INDArray labels = ONE_HOT.dup();
            loss.computeGradientAndScore(labels, untouched, SOFTMAX, null, false);
            assertEquals(MODERATE_LOGITS, untouched, loss.toString());
            assertEquals(ONE_HOT, labels, loss.toString());
        }
    }

    @Test
    void huberWithAHugeDeltaIsHalfTheOutputCountTimesLossMse() {
        ILossFunction halfSquaredError = new LossHuber(1e6);
        INDArray mse = new LossMSE().computeScoreArray(MULTI_LABEL, MODERATE_LOGITS.dup(), IDENTITY, null);
        INDArray huber = halfSquaredError.computeScoreArray(MULTI_LABEL, MODERATE_LOGITS.dup(), IDENTITY, null);
        // LossMSE averages the squared errors over the 3 outputs; Huber sums half of each
        assertTrue(mse.mul(1.5).equalsWithEps(huber, 1e-12), mse + " vs " + huber);
    }

    @Test
    void smoothL1WithATinyBetaIsLossMae() {
        INDArray mae = new LossMAE().computeScoreArray(MULTI_LABEL, MODERATE_LOGITS.dup(), IDENTITY, null);
        INDArray smoothL1 = new LossSmoothL1(1e-12).computeScoreArray(MULTI_LABEL, MODERATE_LOGITS.dup(), IDENTITY,
                null);
        assertTrue(mae.equalsWithEps(smoothL1, 1e-9), mae + " vs " + smoothL1);
    }

    @Test
    void hingeAndSquaredHingeEqualDl4js() {
        INDArray plusMinusOne = MULTI_LABEL.mul(2).subi(1);
        assertSameScoreAndGradient(new LossHinge(), new LossMargin(MarginFunction.HINGE), plusMinusOne,
                MODERATE_LOGITS, IDENTITY, 1e-12);
        assertSameScoreAndGradient(new LossSquaredHinge(), new LossMargin(MarginFunction.SQUARED_HINGE),
                plusMinusOne, MODERATE_LOGITS, IDENTITY, 1e-12);
    }

    @Test
    void klDivergenceEqualsLossKldAwayFromItsClippingAndKeepsGrowingBeyond() {
        INDArray targets = Direct.doubles(new double[][] {
                {0.2, 0.3, 0.5}, {0.1, 0.1, 0.8}, {0.6, 0.2, 0.2}, {0.3, 0.4, 0.3}});
        assertSameScoreAndGradient(new LossKLD(), new LossKLDivergence(), targets, MODERATE_LOGITS, SOFTMAX, 1e-6);

        INDArray wrong = Direct.doubles(new double[][] {{0, 30, 0}});
        INDArray target = Direct.doubles(new double[][] {{0.5, 0, 0.5}});
        double capped = new LossKLD().computeScore(target, wrong.dup(), SOFTMAX, null, false);
        double exact = new LossKLDivergence().computeScore(target, wrong.dup(), SOFTMAX, null, false);
        // sum_c y_c (log y_c - log p_c) with log p = -30 - log(1 + 2 e^-30) for the two target classes
        double expected = 2 * 0.5 * (Math.log(0.5) + 30 + Math.log1p(2 * Math.exp(-30)));
        assertEquals(expected, exact, 1e-9);
        assertTrue(capped < exact - 5, "LossKLD " + capped + " vs " + exact);

        INDArray logits = MODERATE_LOGITS.dup();
        new LossKLD().computeGradient(targets, logits, SOFTMAX, null);
        assertNotEquals(MODERATE_LOGITS, logits, "LossKLD overwrites its pre-activation argument in M2.1");
    }
}
