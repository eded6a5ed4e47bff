package io.github.losskit.dl4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.dl4j.testing.LossCase;
import io.github.losskit.dl4j.testing.LossCatalog;
import java.util.Arrays;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Every catalogued loss trains FLOAT, DOUBLE and HALF networks, and labels of another data type than the
 * network are cast to it. Plain SGD keeps the check about the losses: Adam's epsilon (1e-8) is below HALF's
 * smallest subnormal and would blur which part failed.
 */
class DataTypeTrainingTest {

    private static final int ROWS = 32;
    private static final int ITERATIONS = 8;

    static Stream<Arguments> casesAndTypes() {
        return LossCatalog.all().stream().flatMap(c -> Stream.of(DataType.FLOAT, DataType.DOUBLE, DataType.HALF)
                .map(t -> Arguments.of(c, t)));
    }

    static Stream<LossCase> cases() {
        return LossCatalog.all().stream();
    }

    static MultiLayerNetwork network(LossCase lossCase, DataType type) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(11).dataType(type)
                .updater(new Sgd(0.05)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder().lossFunction(lossCase.newLoss())
                        .activation(lossCase.newActivation()).nIn(8).nOut(lossCase.classes()).build())
                .build());
        net.init();
        return net;
    }

    static DataSet data(LossCase lossCase, DataType featureType, DataType labelType) {
        return new DataSet(LossCase.gaussian(ROWS, 4, 5, 1.0, featureType), lossCase.labels(ROWS, 6, labelType));
    }

    private static boolean finite(INDArray array) {
        INDArray d = array.castTo(DataType.DOUBLE);
        return !(d.isNaN().any() || d.isInfinite().any());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("casesAndTypes")
    void trainsWithFiniteNonIncreasingScore(LossCase lossCase, DataType type) {
        MultiLayerNetwork net = network(lossCase, type);
        DataSet data = data(lossCase, type, type);
        double[] scores = new double[ITERATIONS + 1];
        scores[0] = net.score(data);
        for (int i = 1; i <= ITERATIONS; i++) {
            net.fit(data);
            scores[i] = net.score(data);
            assertTrue(Double.isFinite(scores[i]), lossCase + " " + type + ": score " + Arrays.toString(scores));
            assertTrue(finite(net.params()), lossCase + " " + type + ": parameters not finite at iteration " + i);
        }
        assertEquals(type, net.params().dataType());
        double first = (scores[0] + scores[1] + scores[2]) / 3;
        double last = (scores[ITERATIONS - 2] + scores[ITERATIONS - 1] + scores[ITERATIONS]) / 3;
        // HALF carries ~3 decimal digits: a flat score may wobble by its rounding
        double slack = type == DataType.HALF ? 2e-3 * Math.abs(first) + 1e-3 : 1e-9 * Math.abs(first);
        assertTrue(last <= first + slack, lossCase + " " + type + ": score rose " + Arrays.toString(scores));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void labelsOfAnotherTypeAreCastToTheNetworks(LossCase lossCase) {
        for (DataType[] pair : new DataType[][] {{DataType.FLOAT, DataType.DOUBLE}, {DataType.DOUBLE, DataType.FLOAT},
                {DataType.FLOAT, DataType.HALF}}) {
            DataType netType = pair[0];
            DataType labelType = pair[1];
            MultiLayerNetwork net = network(lossCase, netType);
            // labels representable in both types, so a cast loses nothing and the scores must agree exactly
            INDArray labels = lossCase.labels(ROWS, 6, DataType.HALF).castTo(netType);
            DataSet same = new DataSet(LossCase.gaussian(ROWS, 4, 5, 1.0, netType), labels);
            DataSet other = new DataSet(same.getFeatures(), labels.castTo(labelType));
            double expected = net.score(same);
            double actual = net.score(other);
            assertEquals(expected, actual, 1e-12 * Math.abs(expected),
                    lossCase + ": " + labelType + " labels into a " + netType + " network");

            // and training on cast labels takes the same step
            MultiLayerNetwork twin = network(lossCase, netType);
            net.fit(same);
            twin.fit(other);
            assertEquals(net.params(), twin.params(), lossCase + ": " + labelType + " labels, " + netType);
        }
    }
}
