package io.github.losskit.samediff;

import static io.github.losskit.testing.Approx.assertClose;
import static io.github.losskit.testing.Approx.assertFinite;

import io.github.losskit.samediff.RandomInputs.Labels;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Saturated logits and single precision: finite values and gradients without any clipping epsilon. */
class SDLossesNumericsTest {

    private static final int MINIBATCH = 6;
    private static final double EXTREME = 1e4;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static Stream<Arguments> casesLabelsAndTypes() {
        return LossCase.all().stream().flatMap(c -> Stream.of(Labels.values()).flatMap(labels -> Stream
                .of(DataType.FLOAT, DataType.DOUBLE).map(type -> Arguments.of(c, labels, type))));
    }

    static Stream<Arguments> casesAndLabels() {
        return LossCase.all().stream().flatMap(c -> Stream.of(Labels.values()).map(labels -> Arguments.of(c, labels)));
    }

    @ParameterizedTest(name = "{0}, {1} labels, {2}")
    @MethodSource("casesLabelsAndTypes")
    void finiteAtLogitsOfPlusMinus1e4(LossCase c, Labels labelKind, DataType type) {
        INDArray labels = RandomInputs.labels(41, c.kind(), labelKind, MINIBATCH, c.outputs()).castTo(type);
        INDArray logits = RandomInputs.signedLogits(42, MINIBATCH, c.outputs(), EXTREME).castTo(type);
        INDArray weights = RandomInputs.weights(43, MINIBATCH, 1).castTo(type);
        INDArray exampleWeights = c.kind() == LossCase.OutputKind.SOFTMAX ? weights.reshape(MINIBATCH) : weights;
        for (LossReduce reduce : LossReduce.values()) {
            LossGraph.Result result = LossGraph.evaluate(c, labels, logits, exampleWeights, reduce);
            assertFinite(c + " " + reduce + " " + type, result.value());
            assertFinite(c + " " + reduce + " " + type + " gradient", result.gradient());
        }
    }

    @ParameterizedTest(name = "{0}, {1} labels")
    @MethodSource("casesAndLabels")
    void equalsDl4jAtLogitsOfPlusMinus1e4(LossCase c, Labels labelKind) {
        INDArray labels = RandomInputs.labels(41, c.kind(), labelKind, MINIBATCH, c.outputs());
        INDArray logits = RandomInputs.signedLogits(42, MINIBATCH, c.outputs(), EXTREME);
        LossGraph.Result graph = LossGraph.evaluate(c, labels, logits, null, LossReduce.SUM);
        double score = c.dl4j().computeScore(labels, logits.dup(), c.kind().activation, null, false);
        INDArray gradient = c.dl4j().computeGradient(labels, logits.dup(), c.kind().activation, null);
        assertClose(c + " value", Nd4j.scalar(score), graph.value().reshape(new long[0]), 1e-9, 1e-12);
        assertClose(c + " gradient", gradient, graph.gradient(), 1e-9, 1e-12);
    }

    @ParameterizedTest(name = "{0}, {1} labels")
    @MethodSource("casesAndLabels")
    void floatAgreesWithDouble(LossCase c, Labels labelKind) {
        INDArray labels = RandomInputs.labels(51, c.kind(), labelKind, MINIBATCH, c.outputs());
        INDArray logits = RandomInputs.logits(52, MINIBATCH, c.outputs(), 3.0);
        LossGraph.Result inDouble = LossGraph.evaluate(c, labels, logits, null, LossReduce.NONE);
        LossGraph.Result inFloat = LossGraph.evaluate(c, labels.castTo(DataType.FLOAT),
                logits.castTo(DataType.FLOAT), null, LossReduce.NONE);
        assertClose(c + " value", inDouble.value(), inFloat.value(), 1e-4, 1e-6);
        assertClose(c + " gradient", inDouble.gradient(), inFloat.gradient(), 1e-4, 1e-6);
    }
}
