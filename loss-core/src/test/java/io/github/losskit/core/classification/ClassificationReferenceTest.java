package io.github.losskit.core.classification;

import static io.github.losskit.testing.Approx.assertReferenceClose;

import io.github.losskit.core.LossEvaluator;
import io.github.losskit.core.LossResult;
import io.github.losskit.core.Need;
import io.github.losskit.testing.ReferenceCase;
import io.github.losskit.testing.ReferenceData;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The core math against PyTorch / torchvision at 1e-9 relative, in double precision. */
class ClassificationReferenceTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static List<ReferenceCase> cases() {
        return ReferenceData.load("classification.json", null);
    }

    /** Evaluates a reference case's loss with the core API. */
    static LossResult evaluate(ReferenceCase c, INDArray labels, INDArray logits, INDArray mask, Need need) {
        return switch (c.loss()) {
            case "cross_entropy" -> LossEvaluator.softmax(c.name(),
                    new CrossEntropy(c.number("label_smoothing"), c.numbers("weights")), labels, logits, mask, need);
            case "binary_cross_entropy" -> {
                BinaryCrossEntropy bce = new BinaryCrossEntropy(c.numbers("pos_weight"), c.numbers("weights"),
                        c.number("label_smoothing"));
                yield LossEvaluator.elementwise(c.name(), bce, labels, logits, mask, bce.outputWeightRow(labels),
                        need);
            }
            case "sigmoid_focal" -> LossEvaluator.elementwise(c.name(),
                    new Focal(c.number("gamma"), c.number("alpha")).binary(), labels, logits, mask, null, need);
            case "softmax_focal" -> LossEvaluator.softmax(c.name(),
                    new Focal(c.number("gamma"), c.numbers("alpha")).multiClass(), labels, logits, mask, need);
            default -> throw new IllegalArgumentException("unknown loss " + c.loss());
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void scoreAndGradientMatchPyTorch(ReferenceCase c) {
        LossResult both = evaluate(c, c.labelsArray(), c.logitsArray(), null, Need.SCORE_AND_GRADIENT);
        assertReferenceClose(c.name() + " per example", c.perExampleColumn(), both.perExample());
        assertReferenceClose(c.name() + " gradient", c.gradientArray(), both.gradient());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void separateScoreAndGradientEqualTheJointEvaluation(ReferenceCase c) {
        LossResult score = evaluate(c, c.labelsArray(), c.logitsArray(), null, Need.SCORE);
        LossResult gradient = evaluate(c, c.labelsArray(), c.logitsArray(), null, Need.GRADIENT);
        assertReferenceClose(c.name() + " score only", c.perExampleColumn(), score.perExample());
        assertReferenceClose(c.name() + " gradient only", c.gradientArray(), gradient.gradient());
    }
}
