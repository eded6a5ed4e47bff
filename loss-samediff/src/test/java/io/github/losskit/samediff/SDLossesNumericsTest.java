package io.github.losskit.samediff;

import static io.github.losskit.testing.Approx.assertClose;
import static io.github.losskit.testing.Approx.assertFinite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.core.divergence.TargetSpace;
import io.github.losskit.core.margin.MarginFunction;
import io.github.losskit.dl4j.LossKLDivergence;
import io.github.losskit.dl4j.LossMargin;
import io.github.losskit.samediff.RandomInputs.Labels;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Saturated inputs and single precision: finite values and gradients without any clipping epsilon, at
 * inputs of +/-1e4 for every loss but the exponential margin loss, which is finite up to where exp(-z)
 * overflows (its case uses +/-700 in double and +/-80 in float; see {@link LossCase#EXPONENTIAL_RANGE}).
 */
class SDLossesNumericsTest {

    private static final int MINIBATCH = 6;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static Stream<Arguments> casesLabelsAndTypes() {
        return LossCase.all().stream().flatMap(c -> c.labelDomain().kinds.stream().flatMap(labels -> Stream
                .of(DataType.FLOAT, DataType.DOUBLE).map(type -> Arguments.of(c, labels, type))));
    }

    static Stream<Arguments> casesAndLabels() {
        return LossCase.all().stream()
                .flatMap(c -> c.labelDomain().kinds.stream().map(labels -> Arguments.of(c, labels)));
    }

    @ParameterizedTest(name = "{0}, {1} labels, {2}")
    @MethodSource("casesLabelsAndTypes")
    void finiteAtExtremeInputs(LossCase c, Labels labelKind, DataType type) {
        INDArray labels = RandomInputs.labels(41, c, labelKind, MINIBATCH).castTo(type);
        INDArray logits = RandomInputs.signedLogits(42, MINIBATCH, c.outputs(), c.extremeInput().applyAsDouble(type))
                .castTo(type);
        INDArray weights = RandomInputs.weights(43, MINIBATCH, 1).castTo(type);
        for (LossReduce reduce : LossReduce.values()) {
            LossGraph.Result result = LossGraph.evaluate(c, labels, logits, c.kind().exampleWeights(weights), reduce);
            assertFinite(c + " " + reduce + " " + type, result.value());
            assertFinite(c + " " + reduce + " " + type + " gradient", result.gradient());
        }
    }

    @ParameterizedTest(name = "{0}, {1} labels")
    @MethodSource("casesAndLabels")
    void equalsDl4jAtExtremeInputs(LossCase c, Labels labelKind) {
        INDArray labels = RandomInputs.labels(41, c, labelKind, MINIBATCH);
        INDArray logits = RandomInputs.signedLogits(42, MINIBATCH, c.outputs(),
                c.extremeInput().applyAsDouble(DataType.DOUBLE));
        LossGraph.Result graph = LossGraph.evaluate(c, labels, logits, null, LossReduce.SUM);
        double score = c.dl4j().computeScore(labels, logits.dup(), c.kind().activation, null, false);
        INDArray gradient = c.dl4j().computeGradient(labels, logits.dup(), c.kind().activation, null);
        assertClose(c + " value", Nd4j.scalar(score), graph.value().reshape(new long[0]), 1e-9, 1e-12);
        assertClose(c + " gradient", gradient, graph.gradient(), 1e-9, 1e-12);
    }

    @ParameterizedTest(name = "{0}, {1} labels")
    @MethodSource("casesAndLabels")
    void floatAgreesWithDouble(LossCase c, Labels labelKind) {
        INDArray labels = RandomInputs.labels(51, c, labelKind, MINIBATCH);
        INDArray logits = RandomInputs.logits(52, MINIBATCH, c.outputs(), 3.0);
        LossGraph.Result inDouble = LossGraph.evaluate(c, labels, logits, null, LossReduce.NONE);
        LossGraph.Result inFloat = LossGraph.evaluate(c, labels.castTo(DataType.FLOAT),
                logits.castTo(DataType.FLOAT), null, LossReduce.NONE);
        assertClose(c + " value", inDouble.value(), inFloat.value(), 1e-4, 1e-6);
        assertClose(c + " gradient", inDouble.gradient(), inFloat.gradient(), 1e-4, 1e-6);
    }

    /** log cosh d = |d| - log 2 + log1p(e^(-2|d|)): at |d| >= 750 the last term is 0 and cosh itself overflows. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void logCoshOfLargeResidualsIsTheirMagnitudeMinusLog2(DataType type) {
        LossCase logCosh = LossCase.regression("logCosh()", (l, n, y, x, w, r) -> l.logCosh(n, y, x, w, r), null);
        double[] residuals = {750, -750, 1e4, -1e4};
        INDArray labels = Nd4j.createFromArray(0.5, -0.5, 3.0, -3.0).reshape(1, 4).castTo(type);
        INDArray predictions = labels.add(Nd4j.createFromArray(residuals).reshape(1, 4).castTo(type));
        LossGraph.Result result = LossGraph.evaluate(logCosh, labels, predictions, null, LossReduce.NONE);
        INDArray expected = Nd4j.createFromArray(residuals).reshape(1, 4);
        INDArray magnitudes = expected.dup();
        for (int i = 0; i < residuals.length; i++) {
            magnitudes.putScalar(i, Math.abs(residuals[i]) - Math.log(2));
            expected.putScalar(i, Math.signum(residuals[i]));
        }
        double relative = type == DataType.DOUBLE ? 1e-15 : 2e-7;
        assertClose("log cosh " + type, magnitudes, result.value(), relative, 0);
        assertClose("tanh " + type, expected, result.gradient(), 0, 0);
    }

    /**
     * The documented limit of the exponential margin loss: exp(-z) is finite down to z = -709 and +infinity
     * from z = -710 in double (the threshold is -log(Double.MAX_VALUE) = -709.78), in the graph as in the DL4J
     * adapter. Nothing there is NaN.
     */
    @Test
    void exponentialMarginLossOverflowsExactlyWhereExpDoes() {
        LossCase exponential = LossCase.all().stream().filter(c -> c.description().equals("margin(EXPONENTIAL)"))
                .findFirst().orElseThrow();
        INDArray labels = Nd4j.createFromArray(1.0, 1.0, -1.0, -1.0).reshape(1, 4);
        INDArray scores = Nd4j.createFromArray(-709.0, -710.0, 709.0, 710.0).reshape(1, 4);
        LossGraph.Result result = LossGraph.evaluate(exponential, labels, scores, null, LossReduce.NONE);
        double finite = Math.exp(709);
        // d/df exp(-y f) = -y exp(-y f)
        double[][] expected = {{finite, Double.POSITIVE_INFINITY, finite, Double.POSITIVE_INFINITY},
            {-finite, Double.NEGATIVE_INFINITY, finite, Double.POSITIVE_INFINITY}};
        for (int i = 0; i < 4; i++) {
            assertEquals(expected[0][i], result.value().getDouble(i), 1e-15 * finite, "value " + i);
            assertEquals(expected[1][i], result.gradient().getDouble(i), 1e-15 * finite, "gradient " + i);
        }
        INDArray dl4jScores = new LossMargin(MarginFunction.EXPONENTIAL)
                .computeScoreArray(labels, scores.dup(), new ActivationIdentity(), null);
        assertEquals(Double.POSITIVE_INFINITY, dl4jScores.getDouble(0), "the DL4J adapter overflows alike");
        assertTrue(Double.isFinite(Math.exp(709.78)) && Double.isInfinite(Math.exp(709.79)), "the threshold");
    }

    /**
     * Zero-probability targets give 0 log 0 = 0, also when the targets themselves are differentiated (a graph
     * that learns the target distribution): no NaN in the value, the logits' gradient or the targets' gradient.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TargetSpace.class)
    void klDivergenceWithZeroProbabilityTargetsHasNoNaNEvenWhenTargetsAreDifferentiated(TargetSpace space) {
        INDArray probabilities = Nd4j.createFromArray(new double[][] {{1, 0, 0}, {0.5, 0.5, 0}, {0.2, 0.3, 0.5}});
        INDArray labels = space == TargetSpace.PROBABILITIES ? probabilities
                : org.nd4j.linalg.ops.transforms.Transforms.log(probabilities, true);
        INDArray logits = Nd4j.createFromArray(new double[][] {{500, -500, 0}, {2, -1, 3}, {-500, 0, 500}});
        assertEquals(space == TargetSpace.PROBABILITIES ? 0.0 : Double.NEGATIVE_INFINITY, labels.getDouble(0, 1));

        SameDiff sd = SameDiff.create();
        SDVariable y = sd.var("labels", labels.dup());
        SDVariable x = sd.var("logits", logits.dup());
        new SDLosses(sd).klDivergence("loss", y, x, null, LossReduce.NONE, space);
        Map<String, INDArray> gradients = sd.calculateGradients(Map.of(), List.of("labels", "logits"));
        INDArray value = sd.output(Map.of(), "loss").get("loss");

        assertFinite(space + " value", value);
        assertFinite(space + " logits gradient", gradients.get("logits"));
        assertFinite(space + " labels gradient", gradients.get("labels"));
        LossKLDivergence dl4j = new LossKLDivergence(space);
        assertClose(space + " value", dl4j.computeScoreArray(labels, logits.dup(), new ActivationSoftmax(), null)
                .reshape(3), value, 1e-12, 1e-12);
        assertClose(space + " logits gradient", dl4j.computeGradient(labels, logits.dup(), new ActivationSoftmax(),
                null), gradients.get("logits"), 1e-12, 1e-12);
    }
}
