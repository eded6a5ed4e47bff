package io.github.losskit.samediff;

import static io.github.losskit.testing.Approx.assertClose;

import io.github.losskit.samediff.RandomInputs.Labels;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The SameDiff graphs against the DL4J adapters on random inputs: the SUM-reduced value is DL4J's summed
 * score and the autodiff gradient is DL4J's gradient, at 1e-9 relative in double precision; per-example
 * weights in the graph act as DL4J's per-example mask column.
 */
class SDLossesDl4jParityTest {

    private static final double RELATIVE = 1e-9;
    private static final double ABSOLUTE = 1e-12;
    private static final int MINIBATCH = 7;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static Stream<Arguments> casesAndInputs() {
        List<Long> seeds = List.of(11L, 12L, 13L);
        return LossCase.all().stream().flatMap(c -> c.labelDomain().kinds.stream()
                .flatMap(labels -> seeds.stream().map(seed -> Arguments.of(c, labels, seed))));
    }

    @ParameterizedTest(name = "{0}, {1} labels, seed {2}")
    @MethodSource("casesAndInputs")
    void summedValueAndGradientEqualDl4j(LossCase c, Labels labelKind, long seed) {
        INDArray labels = RandomInputs.labels(seed, c, labelKind, MINIBATCH);
        INDArray logits = RandomInputs.logits(seed + 100, MINIBATCH, c.outputs(), 3.0);

        LossGraph.Result graph = LossGraph.evaluate(c, labels, logits, null, LossReduce.SUM);

        double score = c.dl4j().computeScore(labels, logits.dup(), c.kind().activation, null, false);
        INDArray gradient = c.dl4j().computeGradient(labels, logits.dup(), c.kind().activation, null);
        assertClose(c + " value", Nd4j.scalar(score), graph.value().reshape(new long[0]), RELATIVE, ABSOLUTE);
        assertClose(c + " gradient", gradient, graph.gradient(), RELATIVE, ABSOLUTE);
    }

    @ParameterizedTest(name = "{0}, {1} labels, seed {2}")
    @MethodSource("casesAndInputs")
    void perExampleWeightsEqualDl4jMaskColumn(LossCase c, Labels labelKind, long seed) {
        INDArray labels = RandomInputs.labels(seed, c, labelKind, MINIBATCH);
        INDArray logits = RandomInputs.logits(seed + 100, MINIBATCH, c.outputs(), 3.0);
        INDArray maskColumn = RandomInputs.weights(seed + 200, MINIBATCH, 1);
        // softmax losses give one value per example, weighed by [minibatch]; element-wise ones by a column
        INDArray weights = c.kind().exampleWeights(maskColumn);

        LossGraph.Result graph = LossGraph.evaluate(c, labels, logits, weights, LossReduce.SUM);

        double score = c.dl4j().computeScore(labels, logits.dup(), c.kind().activation, maskColumn, false);
        INDArray gradient = c.dl4j().computeGradient(labels, logits.dup(), c.kind().activation, maskColumn);
        assertClose(c + " value", Nd4j.scalar(score), graph.value().reshape(new long[0]), RELATIVE, ABSOLUTE);
        assertClose(c + " gradient", gradient, graph.gradient(), RELATIVE, ABSOLUTE);
    }
}
