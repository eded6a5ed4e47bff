package io.github.losskit.core.classification;

import static io.github.losskit.testing.Approx.assertClose;

import io.github.losskit.core.LossEvaluator;
import io.github.losskit.core.LossResult;
import io.github.losskit.core.Need;
import io.github.losskit.core.SoftmaxLoss;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The per-row path for one-hot labels computes exactly what the general per-class path computes. */
class OneHotFastPathTest {

    private static final int ROWS = 9;
    private static final int CLASSES = 4;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static List<SoftmaxLoss> losses() {
        return List.of(new CrossEntropy(0, null), new CrossEntropy(0.1, null), new CrossEntropy(0.2,
                new double[] {1, 2, 0.5, 3}), new Focal().multiClass(), new Focal(0.5, 0.5, 1, 2, 0.25).multiClass(),
                new Focal(3, -1).multiClass(), new Focal(1, 0.25).multiClass(), new Focal(0, 0.75).multiClass());
    }

    private static INDArray oneHot(long seed) {
        Random random = new Random(seed);
        double[][] labels = new double[ROWS][CLASSES];
        for (double[] row : labels) {
            row[random.nextInt(CLASSES)] = 1;
        }
        return Nd4j.createFromArray(labels);
    }

    /**
     * Logits of a moderate scale, which the fast path exponentiates without a shift, or with one saturated row,
     * which sends the batch through the row-maximum shift.
     */
    private static INDArray logits(long seed, boolean saturatedRow) {
        Random random = new Random(seed);
        double[][] z = new double[ROWS][CLASSES];
        for (double[] row : z) {
            for (int c = 0; c < CLASSES; c++) {
                row[c] = 3 * random.nextGaussian();
            }
        }
        if (saturatedRow) {
            z[0][0] = 60;
        }
        return Nd4j.createFromArray(z);
    }

    /** The general path, fed the same targets the evaluator builds, without the one-hot detection. */
    private static LossResult general(SoftmaxLoss loss, INDArray labels, INDArray logits, INDArray mask) {
        INDArray targets = loss.targets(labels).dup();
        INDArray factors = loss.classFactors(targets);
        if (factors != null) {
            targets.muliRowVector(factors);
        }
        if (mask != null) {
            targets.muliColumnVector(mask);
        }
        return loss.evaluate(targets, logits, Need.SCORE_AND_GRADIENT);
    }

    static List<Arguments> cases() {
        return losses().stream().flatMap(loss -> Stream.of(Arguments.of(loss, false), Arguments.of(loss, true)))
                .toList();
    }

    @ParameterizedTest(name = "{0}, saturated row {1}")
    @MethodSource("cases")
    void fastPathEqualsTheGeneralPath(SoftmaxLoss loss, boolean saturatedRow) {
        INDArray labels = oneHot(1);
        INDArray logits = logits(2, saturatedRow);
        INDArray mask = Nd4j.createFromArray(1.0, 0.0, 1.0, 0.5, 1.0, 0.0, 1.0, 1.0, 2.0).reshape(ROWS, 1);
        for (INDArray m : new INDArray[] {null, mask}) {
            LossResult fast = LossEvaluator.softmax("test", loss, labels, logits, m, Need.SCORE_AND_GRADIENT);
            INDArray zeroedLabels = m == null ? labels : labels.mulColumnVector(m.neq(0.0).castTo(DataType.DOUBLE));
            INDArray zeroedLogits = m == null ? logits : logits.mulColumnVector(m.neq(0.0).castTo(DataType.DOUBLE));
            LossResult slow = general(loss, zeroedLabels, zeroedLogits, m);
            assertClose(loss + " per example", slow.perExample(), fast.perExample(), 1e-12, 1e-12);
            assertClose(loss + " gradient", slow.gradient(), fast.gradient(), 1e-12, 1e-12);
        }
    }
}
