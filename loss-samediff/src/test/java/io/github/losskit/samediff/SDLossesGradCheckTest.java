package io.github.losskit.samediff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.samediff.RandomInputs.Labels;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.validation.GradCheckUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SameDiff's own gradient check (central differences against autodiff) on every builder, on inputs away from
 * the kinks of hinge, Huber and smooth L1 (checked, not assumed). The logits are the graph's only variable;
 * labels and weights are constants (GradCheckUtil fails on placeholders and on unused variables).
 */
class SDLossesGradCheckTest {

    private static final int MINIBATCH = 3;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /**
     * Each builder once with hard labels and a sum, once with soft labels and a weighted mean (GradCheckUtil
     * is slow); a loss with one kind of labels uses it for both.
     */
    static Stream<Arguments> casesAndReductions() {
        return LossCase.all().stream().flatMap(c -> Stream.of(
                Arguments.of(c, LossReduce.SUM, c.labelDomain().closest(Labels.HARD)),
                Arguments.of(c, LossReduce.MEAN_BY_WEIGHT, c.labelDomain().closest(Labels.SOFT))));
    }

    @ParameterizedTest(name = "{0}, {1}, {2} labels")
    @MethodSource("casesAndReductions")
    void autodiffGradientMatchesFiniteDifferences(LossCase c, LossReduce reduce, Labels labelKind) {
        INDArray labels = RandomInputs.labels(31, c, labelKind, MINIBATCH);
        INDArray logits = RandomInputs.logits(32, MINIBATCH, c.outputs(), 2.0);
        INDArray weights = c.kind().exampleWeights(Nd4j.createFromArray(0.5, 1.0, 2.0).reshape(MINIBATCH, 1));
        // central differences with step 1e-6 straddle a kink closer than that; the seeds keep well away
        double kinkDistance = c.kinks().distance(labels, logits);
        assertTrue(kinkDistance > 1e-3, c + ": inputs within " + kinkDistance + " of a kink; choose other seeds");
        LossGraph graph = new LossGraph(c, labels, logits, weights, reduce);
        boolean passed = GradCheckUtil.checkGradients(graph.sd, Map.of(), 1e-6, 1e-5, 1e-10, Boolean.getBoolean("gradcheck.print"), false);
        assertTrue(passed, c + ", " + reduce + ": GradCheckUtil failed (run with print=true for details)");
    }
}
