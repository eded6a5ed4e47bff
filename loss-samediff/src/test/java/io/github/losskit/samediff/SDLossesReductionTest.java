package io.github.losskit.samediff;

import static io.github.losskit.testing.Approx.assertClose;
import static io.github.losskit.testing.Approx.assertFinite;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.samediff.LossCase.OutputKind;
import io.github.losskit.samediff.RandomInputs.Labels;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Weights and reductions, with SameDiff's meaning, checked against sums computed from the NONE output. */
class SDLossesReductionTest {

    private static final double RELATIVE = 1e-12;
    private static final double ABSOLUTE = 1e-14;
    private static final int MINIBATCH = 6;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /** The weight shapes each kind of loss accepts, relative to its per-element output. */
    enum WeightShape {
        SCALAR,
        /** [minibatch] for per-example (softmax) losses, [minibatch, 1] for element-wise losses */
        PER_EXAMPLE,
        /** [1, outputs], element-wise losses only */
        PER_OUTPUT,
        /** [minibatch, outputs], element-wise losses only */
        PER_ELEMENT;

        boolean appliesTo(OutputKind kind) {
            return !kind.perExample || this == SCALAR || this == PER_EXAMPLE;
        }

        long[] shape(OutputKind kind, int outputs) {
            return switch (this) {
                case SCALAR -> new long[0];
                case PER_EXAMPLE -> kind.perExample ? new long[] {MINIBATCH} : new long[] {MINIBATCH, 1};
                case PER_OUTPUT -> new long[] {1, outputs};
                case PER_ELEMENT -> new long[] {MINIBATCH, outputs};
            };
        }
    }

    static Stream<Arguments> casesAndWeightShapes() {
        return LossCase.all().stream().flatMap(c -> Stream.of(WeightShape.values())
                .filter(shape -> shape.appliesTo(c.kind())).map(shape -> Arguments.of(c, shape)));
    }

    static List<LossCase> cases() {
        return LossCase.all();
    }

    private static INDArray labels(LossCase c) {
        return RandomInputs.labels(21, c, Labels.SOFT, MINIBATCH);
    }

    private static INDArray logits(LossCase c) {
        return RandomInputs.logits(22, MINIBATCH, c.outputs(), 2.0);
    }

    private static INDArray weights(LossCase c, WeightShape shape) {
        long[] s = shape.shape(c.kind(), c.outputs());
        // a scalar weight of 0 would zero everything; keep it positive
        return shape == WeightShape.SCALAR ? Nd4j.scalar(0.7) : RandomInputs.weights(23, s);
    }

    private static LossGraph.Result evaluate(LossCase c, INDArray weights, LossReduce reduce) {
        return LossGraph.evaluate(c, labels(c), logits(c), weights, reduce);
    }

    /** Unweighted results, which several tests compare against for every weight shape; never modified. */
    private static final Map<String, LossGraph.Result> UNWEIGHTED = new ConcurrentHashMap<>();

    private static LossGraph.Result unweighted(LossCase c, LossReduce reduce) {
        return UNWEIGHTED.computeIfAbsent(c.description() + " " + reduce, key -> evaluate(c, null, reduce));
    }

    /** The weights repeated to the shape of the unreduced output. */
    private static INDArray broadcast(INDArray weights, long[] shape) {
        return weights.rank() == 0 ? Nd4j.valueArrayOf(shape, weights.getDouble(0)) : weights.broadcast(shape);
    }

    private static void assertScalarClose(String what, double expected, INDArray actual) {
        assertClose(what, Nd4j.scalar(expected), actual.reshape(new long[0]), RELATIVE, ABSOLUTE);
    }

    @ParameterizedTest(name = "{0}, {1} weights")
    @MethodSource("casesAndWeightShapes")
    void unreducedOutputSummedIsTheSumAndItsGradientIsTheSumsGradient(LossCase c, WeightShape shape) {
        INDArray weights = weights(c, shape);
        LossGraph.Result none = evaluate(c, weights, LossReduce.NONE);
        LossGraph.Result sum = evaluate(c, weights, LossReduce.SUM);
        long[] expectedShape = c.kind().perExample ? new long[] {MINIBATCH}
                : new long[] {MINIBATCH, c.outputs()};
        assertArrayEquals(expectedShape, none.value().shape(), c + ": NONE shape");
        assertScalarClose(c + " sum of NONE", none.value().sumNumber().doubleValue(), sum.value());
        assertClose(c + " gradient of NONE", sum.gradient(), none.gradient(), RELATIVE, ABSOLUTE);
    }

    @ParameterizedTest(name = "{0}, {1} weights")
    @MethodSource("casesAndWeightShapes")
    void meanByWeightDividesByTheSumOfTheBroadcastWeights(LossCase c, WeightShape shape) {
        INDArray weights = weights(c, shape);
        INDArray none = evaluate(c, weights, LossReduce.NONE).value();
        LossGraph.Result sum = evaluate(c, weights, LossReduce.SUM);
        LossGraph.Result mean = evaluate(c, weights, LossReduce.MEAN_BY_WEIGHT);
        double weightSum = broadcast(weights, none.shape()).sumNumber().doubleValue();
        assertScalarClose(c + " MEAN_BY_WEIGHT", none.sumNumber().doubleValue() / weightSum, mean.value());
        assertClose(c + " MEAN_BY_WEIGHT gradient", sum.gradient().div(weightSum), mean.gradient(), RELATIVE,
                ABSOLUTE);
    }

    @ParameterizedTest(name = "{0}, {1} weights")
    @MethodSource("casesAndWeightShapes")
    void meanByNonZeroWeightCountDividesByTheNumberOfNonZeroBroadcastWeights(LossCase c, WeightShape shape) {
        INDArray weights = weights(c, shape);
        INDArray none = evaluate(c, weights, LossReduce.NONE).value();
        LossGraph.Result sum = evaluate(c, weights, LossReduce.SUM);
        LossGraph.Result mean = evaluate(c, weights, LossReduce.MEAN_BY_NONZERO_WEIGHT_COUNT);
        double nonZero = broadcast(weights, none.shape()).neq(0.0).castTo(DataType.DOUBLE).sumNumber().doubleValue();
        assertTrue(nonZero > 0 && nonZero < none.length() || shape == WeightShape.SCALAR,
                "the random weights hold zeros and non-zeros");
        assertScalarClose(c + " MEAN_BY_NONZERO_WEIGHT_COUNT", none.sumNumber().doubleValue() / nonZero,
                mean.value());
        assertClose(c + " MEAN_BY_NONZERO_WEIGHT_COUNT gradient", sum.gradient().div(nonZero), mean.gradient(),
                RELATIVE, ABSOLUTE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void withoutWeightsBothMeansAreThePlainMean(LossCase c) {
        INDArray none = evaluate(c, null, LossReduce.NONE).value();
        for (LossReduce mean : List.of(LossReduce.MEAN_BY_WEIGHT, LossReduce.MEAN_BY_NONZERO_WEIGHT_COUNT)) {
            assertScalarClose(c + " " + mean, none.meanNumber().doubleValue(), evaluate(c, null, mean).value());
        }
    }

    @ParameterizedTest(name = "{0}, {1} weights")
    @MethodSource("casesAndWeightShapes")
    void unitWeightsEqualNoWeights(LossCase c, WeightShape shape) {
        INDArray ones = Nd4j.ones(DataType.DOUBLE, shape.shape(c.kind(), c.outputs()));
        for (LossReduce reduce : LossReduce.values()) {
            LossGraph.Result weighted = evaluate(c, ones, reduce);
            LossGraph.Result unweighted = unweighted(c, reduce);
            assertClose(c + " " + reduce, unweighted.value(), weighted.value(), RELATIVE, ABSOLUTE);
            assertClose(c + " " + reduce + " gradient", unweighted.gradient(), weighted.gradient(), RELATIVE,
                    ABSOLUTE);
        }
    }

    @ParameterizedTest(name = "{0}, {1} weights")
    @MethodSource("casesAndWeightShapes")
    void allZeroWeightsGiveZeroNotNaNWithZeroGradients(LossCase c, WeightShape shape) {
        INDArray zeros = Nd4j.zeros(DataType.DOUBLE, shape.shape(c.kind(), c.outputs()));
        for (LossReduce reduce : LossReduce.values()) {
            LossGraph.Result result = evaluate(c, zeros, reduce);
            assertFinite(c + " " + reduce, result.value());
            assertEquals(0.0, result.value().sumNumber().doubleValue(), 0.0, c + " " + reduce);
            assertFinite(c + " " + reduce + " gradient", result.gradient());
            assertEquals(0.0, result.gradient().norm1Number().doubleValue(), 0.0, c + " " + reduce + " gradient");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void zeroWeightedExamplesAreTheSameAsDroppedExamples(LossCase c) {
        int[] kept = {0, 2, 4, 5};
        INDArray keptColumn = Nd4j.createFromArray(1.0, 0.0, 1.0, 0.0, 1.0, 1.0).reshape(MINIBATCH, 1);
        INDArray weights = c.kind().exampleWeights(keptColumn);
        LossGraph.Result weighted = evaluate(c, weights, LossReduce.SUM);
        LossGraph.Result dropped = LossGraph.evaluate(c, labels(c).getRows(kept), logits(c).getRows(kept), null,
                LossReduce.SUM);
        assertClose(c + " value", dropped.value(), weighted.value(), RELATIVE, ABSOLUTE);
        assertClose(c + " gradient of kept examples", dropped.gradient(), weighted.gradient().getRows(kept),
                RELATIVE, ABSOLUTE);
        assertEquals(0.0, weighted.gradient().getRows(1, 3).norm1Number().doubleValue(), 0.0,
                c + " gradient of zero-weighted examples");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theResultCarriesItsNameAndIsMarkedAsTheLoss(LossCase c) {
        for (LossReduce reduce : LossReduce.values()) {
            SameDiff sd = SameDiff.create();
            SDVariable loss = c.build(new SDLosses(sd), "myLoss", sd.constant(labels(c)), sd.var("x", logits(c)),
                    null, reduce);
            assertEquals("myLoss", loss.name(), c + " " + reduce);
            assertEquals(List.of("myLoss"), sd.getLossVariables(), c + " " + reduce);
        }
        SameDiff sd = SameDiff.create();
        SDVariable unnamed = c.build(new SDLosses(sd), null, sd.constant(labels(c)), sd.var("x", logits(c)), null,
                LossReduce.SUM);
        assertNotNull(unnamed.name());
        assertEquals(List.of(unnamed.name()), sd.getLossVariables(), c + " unnamed");
    }
}
