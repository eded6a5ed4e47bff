package io.github.losskit.dl4j;

import static io.github.losskit.testing.Approx.assertReferenceClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.losskit.core.divergence.TargetSpace;
import io.github.losskit.core.margin.MarginFunction;
import io.github.losskit.core.margin.MarginLabels;
import io.github.losskit.testing.ReferenceCase;
import io.github.losskit.testing.ReferenceData;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** The DL4J adapters against PyTorch / torchvision at 1e-9 relative, through every ILossFunction entry point. */
class Dl4jReferenceTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static List<ReferenceCase> cases() {
        List<ReferenceCase> cases = new java.util.ArrayList<>(ReferenceData.load("classification.json", null));
        cases.addAll(ReferenceData.load("regression.json", null));
        return cases;
    }

    /** The DL4J loss a reference case describes. */
    static ILossFunction lossOf(ReferenceCase c) {
        return switch (c.loss()) {
            case "cross_entropy" -> LossCrossEntropy.builder().labelSmoothing(c.number("label_smoothing"))
                    .weights(c.numbers("weights")).build();
            case "binary_cross_entropy" -> LossBinaryCrossEntropy.builder().posWeight(c.numbers("pos_weight"))
                    .weights(c.numbers("weights")).labelSmoothing(c.number("label_smoothing")).build();
            case "sigmoid_focal", "softmax_focal" -> LossFocal.builder().gamma(c.number("gamma"))
                    .alpha(c.numbers("alpha")).build();
            case "huber" -> LossHuber.builder().delta(c.number("delta")).weights(c.numbers("weights")).build();
            case "smooth_l1" -> LossSmoothL1.builder().beta(c.number("beta")).weights(c.numbers("weights")).build();
            case "log_cosh" -> new LossLogCosh(c.numbers("weights"));
            case "margin" -> LossMargin.builder()
                    .function(MarginFunction.valueOf(((String) c.params().get("function")).toUpperCase()))
                    .labels("zero_one".equals(c.params().get("labels_encoding")) ? MarginLabels.ZERO_ONE
                            : MarginLabels.PLUS_MINUS_ONE)
                    .weights(c.numbers("weights")).build();
            case "kl_divergence" -> new LossKLDivergence(Boolean.TRUE.equals(c.params().get("log_target"))
                    ? TargetSpace.LOG_PROBABILITIES : TargetSpace.PROBABILITIES);
            default -> throw new IllegalArgumentException(c.loss());
        };
    }

    static IActivation activationOf(ReferenceCase c) {
        return switch (c.loss()) {
            case "sigmoid_focal", "binary_cross_entropy" -> new ActivationSigmoid();
            case "cross_entropy", "softmax_focal", "kl_divergence" -> new ActivationSoftmax();
            default -> new ActivationIdentity();
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyEntryPointMatchesPyTorch(ReferenceCase c) {
        ILossFunction loss = lossOf(c);
        INDArray labels = c.labelsArray();
        INDArray logits = c.logitsArray();
        double total = c.perExampleColumn().sumNumber().doubleValue();
        long rows = labels.size(0);

        assertReferenceClose("score array", c.perExampleColumn(),
                loss.computeScoreArray(labels, logits, activationOf(c), null));
        assertReferenceClose("gradient", c.gradientArray(), loss.computeGradient(labels, logits, activationOf(c), null));
        assertEquals(total, loss.computeScore(labels, logits, activationOf(c), null, false), 1e-9 * Math.abs(total));
        Pair<Double, INDArray> both = loss.computeGradientAndScore(labels, logits, activationOf(c), null, true);
        assertEquals(total / rows, both.getFirst(), 1e-9 * Math.abs(total / rows));
        assertReferenceClose("joint gradient", c.gradientArray(), both.getSecond());
    }
}
