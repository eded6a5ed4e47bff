package io.github.losskit.samediff;

import static io.github.losskit.testing.Approx.assertReferenceClose;

import io.github.losskit.core.classification.BinaryCrossEntropy;
import io.github.losskit.core.classification.CrossEntropy;
import io.github.losskit.core.classification.Focal;
import io.github.losskit.core.divergence.TargetSpace;
import io.github.losskit.core.margin.MarginFunction;
import io.github.losskit.core.margin.MarginLabels;
import io.github.losskit.core.margin.MarginLoss;
import io.github.losskit.core.regression.Huber;
import io.github.losskit.core.regression.LogCosh;
import io.github.losskit.core.regression.SmoothL1;
import io.github.losskit.testing.ReferenceCase;
import io.github.losskit.testing.ReferenceData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every builder against PyTorch / torchvision at 1e-9 relative, in double precision: values and autodiff
 * gradients for every case of classification.json and regression.json (see tools/reference).
 */
class SDLossesReferenceTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static List<ReferenceCase> cases() {
        List<ReferenceCase> cases = new ArrayList<>(ReferenceData.load("classification.json", null));
        cases.addAll(ReferenceData.load("regression.json", null));
        return cases;
    }

    /** The builder call for a reference case's loss and parameters, as the DL4J reference test maps them. */
    static LossCase lossOf(ReferenceCase c) {
        LossCase loss = switch (c.loss()) {
            case "cross_entropy" -> LossCase.softmax(c.name(), (l, n, y, x, w, r) -> l.crossEntropy(n, y, x, w, r,
                    new CrossEntropy(c.number("label_smoothing"), c.numbers("weights"))), null);
            case "binary_cross_entropy" -> LossCase.sigmoid(c.name(),
                    (l, n, y, x, w, r) -> l.binaryCrossEntropy(n, y, x, w, r, new BinaryCrossEntropy(
                            c.numbers("pos_weight"), c.numbers("weights"), c.number("label_smoothing"))), null);
            case "sigmoid_focal" -> LossCase.sigmoid(c.name(), (l, n, y, x, w, r) -> l.binaryFocal(n, y, x, w, r,
                    new Focal(c.number("gamma"), c.number("alpha"))), null);
            case "softmax_focal" -> LossCase.softmax(c.name(), (l, n, y, x, w, r) -> l.focal(n, y, x, w, r,
                    new Focal(c.number("gamma"), c.numbers("alpha"))), null);
            case "huber" -> LossCase.regression(c.name(), (l, n, y, x, w, r) -> l.huber(n, y, x, w, r,
                    new Huber(c.number("delta"), c.numbers("weights"))), null);
            case "smooth_l1" -> LossCase.regression(c.name(), (l, n, y, x, w, r) -> l.smoothL1(n, y, x, w, r,
                    new SmoothL1(c.number("beta"), c.numbers("weights"))), null);
            case "log_cosh" -> LossCase.regression(c.name(),
                    (l, n, y, x, w, r) -> l.logCosh(n, y, x, w, r, new LogCosh(c.numbers("weights"))), null);
            case "margin" -> {
                MarginFunction function = MarginFunction.valueOf(((String) c.params().get("function")).toUpperCase());
                MarginLabels encoding = "zero_one".equals(c.params().get("labels_encoding")) ? MarginLabels.ZERO_ONE
                        : MarginLabels.PLUS_MINUS_ONE;
                double[] outputWeights = c.numbers("weights");
                // LossMargin's per-output weights are the builder's [1, outputs] weights
                yield LossCase.margin(c.name(), function, encoding, (l, n, y, x, w, r) -> l.margin(n, y, x,
                        outputWeights == null ? w : row(x, outputWeights), r, new MarginLoss(function, encoding)),
                        null);
            }
            case "kl_divergence" -> LossCase.softmax(c.name(), (l, n, y, x, w, r) -> l.klDivergence(n, y, x, w, r,
                    Boolean.TRUE.equals(c.params().get("log_target")) ? TargetSpace.LOG_PROBABILITIES
                            : TargetSpace.PROBABILITIES), null);
            default -> throw new IllegalArgumentException("unknown loss " + c.loss());
        };
        return loss.withOutputs(c.labels()[0].length);
    }

    /** A constant [1, n] row in the graph of {@code like}. */
    private static SDVariable row(SDVariable like, double[] values) {
        return like.getSameDiff().constant(Nd4j.createFromArray(values).reshape(1, values.length));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void summedValueAndGradientMatchPyTorch(ReferenceCase c) {
        LossGraph.Result sum = LossGraph.evaluate(lossOf(c), c.labelsArray(), c.logitsArray(), null, LossReduce.SUM);
        INDArray expectedTotal = Nd4j.scalar(c.perExampleColumn().sumNumber().doubleValue());
        assertReferenceClose(c.name() + " sum", expectedTotal, sum.value().reshape(new long[0]));
        assertReferenceClose(c.name() + " gradient", c.gradientArray(), sum.gradient());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void unreducedValuesMatchPyTorchPerExample(ReferenceCase c) {
        LossCase loss = lossOf(c);
        INDArray none = LossGraph.evaluate(loss, c.labelsArray(), c.logitsArray(), null, LossReduce.NONE).value();
        // softmax losses give one value per example; element-wise losses one per element, summed per example here
        INDArray perExample = loss.kind().perExample ? none.reshape(none.length(), 1) : none.sum(true, 1);
        assertReferenceClose(c.name() + " per example", c.perExampleColumn(), perExample);
    }
}
