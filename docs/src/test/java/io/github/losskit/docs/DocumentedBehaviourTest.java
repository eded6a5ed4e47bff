package io.github.losskit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.dl4j.LossBinaryCrossEntropy;
import io.github.losskit.dl4j.LossCrossEntropy;
import io.github.losskit.dl4j.LossFocal;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Backs statements of the pages that the library's own tests do not cover: how DL4J turns the loss into a
 * network score, facts about ND4J that the numerical notes rely on, and the error messages that
 * docs/conventions.md quotes word for word.
 */
class DocumentedBehaviourTest {

    private static final IActivation SOFTMAX = new ActivationSoftmax();
    private static final IActivation SIGMOID = new ActivationSigmoid();

    @Test
    void networkScoreIsTheSummedLossOverTheMinibatchSizeMaskedRowsIncluded() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(DataType.DOUBLE)
                .updater(new NoOp())
                .list()
                .layer(new OutputLayer.Builder()
                        .lossFunction(LossCrossEntropy.builder().weights(1, 3, 0.5).build())
                        .activation(Activation.SOFTMAX)
                        .nIn(4).nOut(3)
                        .build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray features = Nd4j.rand(DataType.DOUBLE, 6, 4);
        INDArray labels = Nd4j.createFromArray(new double[][] {
                {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
        INDArray preOutput = features.mmul(net.getParam("0_W")).addiRowVector(net.getParam("0_b"));
        LossCrossEntropy loss = LossCrossEntropy.builder().weights(1, 3, 0.5).build();

        double summed = loss.computeScore(labels, preOutput, SOFTMAX, null, false);
        assertEquals(summed / 6, net.score(new DataSet(features, labels)), 1e-12,
                "divided by the number of examples, not by the weight sum");

        INDArray rowMask = Nd4j.createFromArray(new double[][] {{1}, {1}, {0}, {1}, {0}, {1}});
        double summedKept = loss.computeScore(labels, preOutput, SOFTMAX, rowMask, false);
        assertEquals(summedKept / 6, net.score(new DataSet(features, labels, null, rowMask)), 1e-12,
                "masked rows still count in the divisor");
        assertEquals(summedKept / 6, loss.computeScore(labels, preOutput, SOFTMAX, rowMask, true), 1e-12,
                "average = true divides by all rows, too");

        INDArray halfFirstRow = Nd4j.ones(DataType.DOUBLE, 6, 1).putScalar(0, 0, 0.5);
        INDArray rows = loss.computeScoreArray(labels, preOutput, SOFTMAX, null);
        INDArray halved = loss.computeScoreArray(labels, preOutput, SOFTMAX, halfFirstRow);
        assertEquals(0.5 * rows.getDouble(0), halved.getDouble(0), 1e-14, "mask values act as weights");
        assertEquals(rows.getDouble(1), halved.getDouble(1), 1e-14);
    }

    @Test
    void scalarAlphaWithSoftmaxOnlyScalesTheLossAndItsGradient() {
        INDArray labels = Direct.doubles(new double[][] {{1, 0, 0}, {0, 0, 1}});
        INDArray logits = Direct.doubles(new double[][] {{0.5, 1.5, -1}, {2, 0, 1}});
        LossFocal scaled = LossFocal.builder().alpha(0.25).build();
        LossFocal plain = LossFocal.builder().noAlpha().build();
        assertEquals(0.25 * plain.computeScore(labels, logits, SOFTMAX, null, false),
                scaled.computeScore(labels, logits, SOFTMAX, null, false), 1e-14);
        INDArray expected = plain.computeGradient(labels, logits, SOFTMAX, null).muli(0.25);
        INDArray actual = scaled.computeGradient(labels, logits, SOFTMAX, null);
        assertTrue(expected.equalsWithEps(actual, 1e-14), expected + " vs " + actual);
    }

    @Test
    void focalWithGammaBelowOneStaysFiniteAtSaturatedLogits() {
        for (DataType type : List.of(DataType.FLOAT, DataType.DOUBLE)) {
            INDArray labels = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}}).castTo(type);
            INDArray logits = Nd4j.createFromArray(new double[][] {{1e4, -1e4}, {1e4, -1e4}}).castTo(type);
            LossFocal loss = LossFocal.builder().gamma(0.5).build();
            for (IActivation activation : List.of(SOFTMAX, SIGMOID)) {
                INDArray gradient = loss.computeGradient(labels, logits, activation, null);
                double score = loss.computeScore(labels, logits, activation, null, false);
                assertTrue(Double.isFinite(score), type + " " + activation + " score " + score);
                assertEquals(0, gradient.isInfinite().castTo(DataType.INT32).sumNumber().intValue());
                assertEquals(0, gradient.isNaN().castTo(DataType.INT32).sumNumber().intValue());
            }
        }
    }

    /** The numerical notes say why LossKit writes softplus itself; if ND4J changes, the notes must too. */
    @Test
    void nd4jSoftplusOverflowsWhereTheLossKitFormDoesNot() {
        assertTrue(Double.isInfinite(Transforms.softPlus(Nd4j.createFromArray(1000.0), true).getDouble(0)));
        assertTrue(Double.isInfinite(Transforms.softPlus(Nd4j.createFromArray(100.0f), true).getDouble(0)));
        INDArray label = Direct.doubles(new double[][] {{0}});
        assertEquals(1000.0, new LossBinaryCrossEntropy().computeScore(label, Direct.doubles(new double[][] {{1000}}),
                SIGMOID, null, false), 1e-9);
    }

    /** docs/custom-loss.md warns that ND4J's log1p and expm1 do not keep the digits of tiny arguments. */
    @Test
    void nd4jLog1pAndExpm1AreNoMorePreciseThanTheNaiveForms() {
        INDArray tiny = Nd4j.createFromArray(1e-18);
        assertEquals(0.0, Transforms.log1p(tiny, true).getDouble(0), "Math.log1p gives 1e-18");
        assertEquals(0.0, Transforms.expm1(tiny, true).getDouble(0), "Math.expm1 gives 1e-18");
    }

    private static String message(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void theErrorMessagesQuotedInConventionsAreTheOnesThrown() throws IOException {
        INDArray labels = Nd4j.createFromArray(new double[][] {{0, 1, 0}, {1, 0, 2}});
        INDArray oneHot = Nd4j.createFromArray(new double[][] {{0, 1, 0}, {1, 0, 0}});
        INDArray nanLabels = Nd4j.createFromArray(new double[][] {{0, 1, 0}, {Double.NaN, 0, 0}});
        INDArray preOutput = Nd4j.zeros(DataType.DOUBLE, 2, 3);
        List<String> messages = new ArrayList<>();
        messages.add(message(() -> new LossCrossEntropy().computeScore(oneHot, preOutput, SIGMOID, null, false)));
        messages.add(message(() -> new LossBinaryCrossEntropy().computeScore(labels, preOutput, SIGMOID, null,
                false)));
        messages.add(message(() -> new LossCrossEntropy().computeScore(nanLabels, preOutput, SOFTMAX, null, false)));
        messages.add(message(() -> new LossFocal().computeScore(oneHot, Nd4j.zeros(DataType.DOUBLE, 2, 4), SOFTMAX,
                null, false)));
        messages.add(message(() -> new LossFocal().computeScore(oneHot, preOutput, SOFTMAX,
                Nd4j.ones(DataType.DOUBLE, 2, 2), false)));
        messages.add(message(() -> new LossFocal().computeScore(oneHot, preOutput, SOFTMAX,
                Nd4j.createFromArray(new double[][] {{1, 1, 0}, {1, 1, 1}}), false)));
        messages.add(message(() -> LossCrossEntropy.builder().labelSmoothing(1.0).build()));
        messages.add(message(() -> LossCrossEntropy.builder().weights(1, 2).build().computeScore(oneHot, preOutput,
                SOFTMAX, null, false)));

        String page = Files.readString(DocsLocation.moduleDir().resolve("conventions.md"));
        List<String> missing = messages.stream().filter(m -> !page.contains(m)).toList();
        assertEquals(List.of(), missing, "docs/conventions.md should quote these messages exactly as thrown");
    }
}
