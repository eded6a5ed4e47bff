package io.github.losskit.dl4j.testing;

import io.github.losskit.dl4j.LossBinaryCrossEntropy;
import io.github.losskit.dl4j.LossCrossEntropy;
import io.github.losskit.core.divergence.TargetSpace;
import io.github.losskit.core.margin.MarginFunction;
import io.github.losskit.core.margin.MarginLabels;
import io.github.losskit.dl4j.LossFocal;
import io.github.losskit.dl4j.LossHuber;
import io.github.losskit.dl4j.LossKLDivergence;
import io.github.losskit.dl4j.LossLogCosh;
import io.github.losskit.dl4j.LossMargin;
import io.github.losskit.dl4j.LossMultiTask;
import io.github.losskit.dl4j.LossSmoothL1;
import java.util.List;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;

/**
 * Every LossKit DL4J loss in the configurations the shared tests run over. A new loss adds its cases here
 * and gets the contract, gradient and serialization tests.
 */
public final class LossCatalog {

    private LossCatalog() {
    }

    public static List<LossCase> all() {
        return List.of(
                new LossCase("focal softmax defaults", LossFocal::new, ActivationSoftmax::new, LabelKind.ONE_HOT, 5),
                new LossCase("focal softmax gamma 0.5 per-class alpha",
                        () -> LossFocal.builder().gamma(0.5).alpha(0.5, 1.0, 2.0, 0.25, 1.5).build(),
                        ActivationSoftmax::new, LabelKind.SOFT, 5),
                new LossCase("focal softmax gamma 3", () -> LossFocal.builder().gamma(3).noAlpha().build(),
                        ActivationSoftmax::new, LabelKind.ONE_HOT, 4),
                new LossCase("focal sigmoid defaults", LossFocal::new, ActivationSigmoid::new, LabelKind.BINARY, 4),
                new LossCase("focal sigmoid gamma 0.5 no alpha",
                        () -> LossFocal.builder().gamma(0.5).noAlpha().build(), ActivationSigmoid::new,
                        LabelKind.SOFT_BINARY, 3),
                new LossCase("cross-entropy", LossCrossEntropy::new, ActivationSoftmax::new, LabelKind.ONE_HOT, 5),
                new LossCase("cross-entropy smoothing and weights",
                        () -> LossCrossEntropy.builder().labelSmoothing(0.1).weights(1, 2, 0.5, 3).build(),
                        ActivationSoftmax::new, LabelKind.SOFT, 4),
                new LossCase("binary cross-entropy", LossBinaryCrossEntropy::new, ActivationSigmoid::new,
                        LabelKind.BINARY, 4),
                new LossCase("binary cross-entropy posWeight weights smoothing",
                        () -> LossBinaryCrossEntropy.builder().posWeight(3, 0.5, 2).weights(1, 2, 0.25)
                                .labelSmoothing(0.2).build(),
                        ActivationSigmoid::new, LabelKind.SOFT_BINARY, 3),
                LossCase.anyLabel("huber", LossHuber::new, ActivationIdentity::new, LabelKind.REAL, 4),
                LossCase.anyLabel("huber delta 0.5 weights",
                        () -> LossHuber.builder().delta(0.5).weights(1, 2, 0.5).build(), ActivationIdentity::new,
                        LabelKind.REAL, 3),
                LossCase.anyLabel("smooth L1 beta 0.25", () -> LossSmoothL1.builder().beta(0.25).build(),
                        ActivationIdentity::new, LabelKind.REAL, 3),
                LossCase.anyLabel("log-cosh", LossLogCosh::new, ActivationIdentity::new, LabelKind.REAL, 4),
                LossCase.anyLabel("log-cosh through tanh weights", () -> new LossLogCosh(new double[] {0.5, 2}),
                        ActivationTanH::new, LabelKind.REAL, 2),
                new LossCase("hinge", LossMargin::new, ActivationIdentity::new, LabelKind.PLUS_MINUS_ONE, 3, 0.5),
                new LossCase("squared hinge weights",
                        () -> LossMargin.builder().function(MarginFunction.SQUARED_HINGE).weights(1, 3).build(),
                        ActivationIdentity::new, LabelKind.PLUS_MINUS_ONE, 2, -0.5),
                new LossCase("exponential through tanh", () -> new LossMargin(MarginFunction.EXPONENTIAL),
                        ActivationTanH::new, LabelKind.PLUS_MINUS_ONE, 3, 0.0),
                new LossCase("logistic 0/1 labels",
                        () -> LossMargin.builder().function(MarginFunction.LOGISTIC).labels(MarginLabels.ZERO_ONE)
                                .build(), ActivationIdentity::new, LabelKind.BINARY, 3, 0.5),
                new LossCase("KL divergence", LossKLDivergence::new, ActivationSoftmax::new, LabelKind.SOFT, 5),
                new LossCase("KL divergence log-space targets",
                        () -> new LossKLDivergence(TargetSpace.LOG_PROBABILITIES), ActivationSoftmax::new,
                        LabelKind.LOG_SOFT, 4, 0.5),
                LossCase.anyLabel("multi-task regression", () -> LossMultiTask.builder()
                        .task("huber", new LossHuber(), Activation.IDENTITY, 0, 2, 1.0)
                        .task("smoothL1", LossSmoothL1.builder().beta(0.5).build(), Activation.IDENTITY, 2, 3, 2.5)
                        .task("logCosh", new LossLogCosh(), Activation.TANH, 3, 4, 0.5).build(),
                        ActivationIdentity::new, LabelKind.REAL, 4),
                new LossCase("multi-task binary", () -> LossMultiTask.builder()
                        .task("bce", new LossBinaryCrossEntropy(), Activation.SIGMOID, 0, 2, 1.0)
                        .task("focal", new LossFocal(), Activation.SIGMOID, 2, 3, 2.0)
                        .task("logistic", new LossMargin(MarginFunction.LOGISTIC, MarginLabels.ZERO_ONE, null),
                                Activation.IDENTITY, 3, 4, 0.5).build(),
                        ActivationIdentity::new, LabelKind.BINARY, 4));
    }
}
