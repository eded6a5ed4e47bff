package io.github.losskit.dl4j.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.core.metric.Distance;
import io.github.losskit.core.metric.Mining;
import io.github.losskit.core.metric.PairMode;
import io.github.losskit.core.metric.TripletPenalty;
import io.github.losskit.dl4j.LossContrastive;
import io.github.losskit.dl4j.LossTriplet;
import io.github.losskit.dl4j.testing.RoundTrips;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** Every parameter of the metric losses survives JSON, ModelSerializer and Java serialization. */
class MetricSerializationTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static List<MetricCase> losses() {
        return MetricCatalog.all();
    }

    private static MultiLayerConfiguration network(MetricCase c) {
        return RoundTrips.network(c.newLoss(), c.newActivation(), c.outputs());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void multiLayerConfigurationJsonRoundTrip(MetricCase c) {
        RoundTrips.assertMultiLayerJsonRoundTrip(c::newLoss, c.newActivation(), c.outputs());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void computationGraphConfigurationJsonRoundTrip(MetricCase c) {
        RoundTrips.assertGraphJsonRoundTrip(c::newLoss, c.newActivation(), c.outputs());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void modelSerializerRoundTripKeepsTheLossAndTheScore(MetricCase c, @TempDir Path dir) throws Exception {
        INDArray labels = c.labels(c.rows(), 2, DataType.DOUBLE);
        DataSet data = new DataSet(MetricLabels.clustered(labels, 3, 0.5, 1), labels);
        RoundTrips.assertModelSerializerRoundTrip(c::newLoss, c.newActivation(), c.outputs(), data, dir);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void javaSerializationRestoresAWorkingLoss(MetricCase c) throws Exception {
        ILossFunction loss = c.newLoss();
        ILossFunction restored = RoundTrips.javaRoundTrip(loss);
        INDArray labels = c.labels(c.rows(), 3, DataType.DOUBLE);
        INDArray preOutput = c.preOutput(labels, 4, DataType.DOUBLE);
        assertEquals(loss.computeScore(labels, preOutput, c.newActivation(), null, false),
                restored.computeScore(labels, preOutput, c.newActivation(), null, false));
    }

    @Test
    void tripletEqualityFollowsEveryParameter() {
        LossTriplet defaults = new LossTriplet();
        assertEquals(LossTriplet.builder().margin(1.0).penalty(TripletPenalty.HINGE).swap(false)
                .mining(Mining.CONSECUTIVE).distance(Distance.EUCLIDEAN).build(), defaults);
        assertEquals(defaults.hashCode(), LossTriplet.builder().build().hashCode());
        assertNotEquals(defaults, LossTriplet.builder().margin(0.5).build());
        assertNotEquals(defaults, LossTriplet.builder().softMargin().build());
        assertNotEquals(defaults, LossTriplet.builder().swap(true).build());
        assertNotEquals(defaults, LossTriplet.builder().mining(Mining.BATCH_HARD).build());
        assertNotEquals(defaults, LossTriplet.builder().distance(Distance.COSINE).build());
    }

    @Test
    void contrastiveEqualityFollowsEveryParameter() {
        LossContrastive defaults = new LossContrastive();
        assertEquals(LossContrastive.builder().margin(1.0).positiveMargin(0.0).pairs(PairMode.CONSECUTIVE)
                .distance(Distance.EUCLIDEAN).build(), defaults);
        assertEquals(defaults.hashCode(), LossContrastive.builder().build().hashCode());
        assertNotEquals(defaults, LossContrastive.builder().margin(2).build());
        assertNotEquals(defaults, LossContrastive.builder().positiveMargin(0.1).build());
        assertNotEquals(defaults, LossContrastive.builder().pairs(PairMode.ALL_IN_BATCH).build());
        assertNotEquals(defaults, LossContrastive.builder().distance(Distance.SQUARED_EUCLIDEAN).build());
    }

    @Test
    void theJsonNamesEveryParameter() {
        String triplet = network(new MetricCase("t", () -> LossTriplet.builder().margin(0.25).softMargin().swap(true)
                .mining(Mining.SEMI_HARD).distance(Distance.COSINE).build(), () -> Activation.IDENTITY
                .getActivationFunction(), MetricLabels.CLASS_IDS, 0, 4, 1)).toJson();
        for (String expected : List.of("\"margin\" : 0.25", "\"penalty\" : \"SOFT_MARGIN\"", "\"swap\" : true",
                "\"mining\" : \"SEMI_HARD\"", "\"distance\" : \"COSINE\"")) {
            assertTrue(triplet.contains(expected), expected + " in " + triplet);
        }
        String contrastive = network(new MetricCase("c", () -> LossContrastive.builder().margin(2).positiveMargin(0.5)
                .pairs(PairMode.ALL_IN_BATCH).distance(Distance.SQUARED_EUCLIDEAN).build(),
                () -> Activation.IDENTITY.getActivationFunction(), MetricLabels.CLASS_IDS, 0, 4, 1)).toJson();
        for (String expected : List.of("\"margin\" : 2.0", "\"positiveMargin\" : 0.5", "\"pairs\" : \"ALL_IN_BATCH\"",
                "\"distance\" : \"SQUARED_EUCLIDEAN\"")) {
            assertTrue(contrastive.contains(expected), expected + " in " + contrastive);
        }
    }
}
