package io.github.losskit.dl4j;

import static io.github.losskit.testing.Approx.assertReferenceClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.losskit.testing.ReferenceCase;
import io.github.losskit.testing.ReferenceData;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
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
        return ReferenceData.load("classification.json", null);
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
            default -> throw new IllegalArgumentException(c.loss());
        };
    }

    static IActivation activationOf(ReferenceCase c) {
        return c.loss().startsWith("sigmoid") || c.loss().startsWith("binary") ? new ActivationSigmoid()
                : new ActivationSoftmax();
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
