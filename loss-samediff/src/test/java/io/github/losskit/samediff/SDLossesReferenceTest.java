package io.github.losskit.samediff;

import static io.github.losskit.testing.Approx.assertReferenceClose;

import io.github.losskit.core.classification.BinaryCrossEntropy;
import io.github.losskit.core.classification.CrossEntropy;
import io.github.losskit.core.classification.Focal;
import io.github.losskit.samediff.LossCase.OutputKind;
import io.github.losskit.testing.ReferenceCase;
import io.github.losskit.testing.ReferenceData;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every builder against PyTorch / torchvision at 1e-9 relative, in double precision: values and autodiff gradients. */
class SDLossesReferenceTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static List<ReferenceCase> cases() {
        return ReferenceData.load("classification.json", null);
    }

    /** The builder call for a reference case's loss and parameters, as the core's reference test maps them. */
    static LossCase lossOf(ReferenceCase c) {
        return switch (c.loss()) {
            case "cross_entropy" -> new LossCase(c.name(), OutputKind.SOFTMAX, c.labels()[0].length,
                    (l, n, y, x, w, r) -> l.crossEntropy(n, y, x, w, r,
                            new CrossEntropy(c.number("label_smoothing"), c.numbers("weights"))), null);
            case "binary_cross_entropy" -> new LossCase(c.name(), OutputKind.SIGMOID, c.labels()[0].length,
                    (l, n, y, x, w, r) -> l.binaryCrossEntropy(n, y, x, w, r, new BinaryCrossEntropy(
                            c.numbers("pos_weight"), c.numbers("weights"), c.number("label_smoothing"))), null);
            case "sigmoid_focal" -> new LossCase(c.name(), OutputKind.SIGMOID, c.labels()[0].length,
                    (l, n, y, x, w, r) -> l.binaryFocal(n, y, x, w, r,
                            new Focal(c.number("gamma"), c.number("alpha"))), null);
            case "softmax_focal" -> new LossCase(c.name(), OutputKind.SOFTMAX, c.labels()[0].length,
                    (l, n, y, x, w, r) -> l.focal(n, y, x, w, r,
                            new Focal(c.number("gamma"), c.numbers("alpha"))), null);
            default -> throw new IllegalArgumentException("unknown loss " + c.loss());
        };
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
        // softmax losses give one value per example; sigmoid losses one per element, summed per example here
        INDArray perExample = loss.kind() == OutputKind.SOFTMAX ? none.reshape(none.length(), 1) : none.sum(true, 1);
        assertReferenceClose(c.name() + " per example", c.perExampleColumn(), perExample);
    }
}
