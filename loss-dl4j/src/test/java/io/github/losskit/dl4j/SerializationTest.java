package io.github.losskit.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.losskit.dl4j.testing.LossCase;
import io.github.losskit.dl4j.testing.LossCatalog;
import io.github.losskit.dl4j.testing.RoundTrips;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** Every parameter survives JSON (both configuration kinds), ModelSerializer and Java serialization. */
class SerializationTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static List<LossCase> losses() {
        return LossCatalog.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void multiLayerConfigurationJsonRoundTrip(LossCase c) {
        RoundTrips.assertMultiLayerJsonRoundTrip(c::newLoss, c.newActivation(), c.classes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void computationGraphConfigurationJsonRoundTrip(LossCase c) {
        RoundTrips.assertGraphJsonRoundTrip(c::newLoss, c.newActivation(), c.classes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void modelSerializerRoundTripKeepsTheLossAndTheScore(LossCase c, @TempDir Path dir) throws Exception {
        DataSet data = new DataSet(LossCase.gaussian(10, 3, 1, 1.0, DataType.DOUBLE), c.labels(10, 2, DataType.DOUBLE));
        RoundTrips.assertModelSerializerRoundTrip(c::newLoss, c.newActivation(), c.classes(), data, dir);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void javaSerializationRestoresAWorkingLoss(LossCase c) throws Exception {
        ILossFunction loss = c.newLoss();
        ILossFunction restored = RoundTrips.javaRoundTrip(loss);
        INDArray labels = c.labels(4, 3, DataType.DOUBLE);
        INDArray preOutput = c.preOutput(4, 4, 1.0, DataType.DOUBLE);
        assertEquals(loss.computeScore(labels, preOutput, c.newActivation(), null, false),
                restored.computeScore(labels, preOutput, c.newActivation(), null, false));
    }

    @Test
    void equalityFollowsEveryParameter() {
        assertEquals(LossFocal.builder().gamma(2).alpha(0.25).build(), new LossFocal());
        assertEquals(new LossFocal().hashCode(), LossFocal.builder().build().hashCode());
        assertNotEquals(new LossFocal(), LossFocal.builder().gamma(1).build());
        assertNotEquals(new LossFocal(), LossFocal.builder().alpha(0.5).build());
        assertNotEquals(new LossFocal(), LossFocal.builder().alpha(0.25, 0.25).build());
        assertEquals(LossCrossEntropy.builder().labelSmoothing(0.1).weights(1, 2).build(),
                LossCrossEntropy.builder().labelSmoothing(0.1).weights(1, 2).build());
        assertNotEquals(new LossCrossEntropy(), LossCrossEntropy.builder().labelSmoothing(0.1).build());
        assertNotEquals(new LossCrossEntropy(), LossCrossEntropy.builder().weights(1, 2).build());
        assertNotEquals(new LossBinaryCrossEntropy(), LossBinaryCrossEntropy.builder().posWeight(2).build());
        assertNotEquals(new LossBinaryCrossEntropy(), LossBinaryCrossEntropy.builder().weights(2).build());
        assertNotEquals(new LossBinaryCrossEntropy(), LossBinaryCrossEntropy.builder().labelSmoothing(0.1).build());
        assertNotEquals(LossBinaryCrossEntropy.builder().posWeight(2).build(),
                LossBinaryCrossEntropy.builder().weights(2).build());
    }

    @Test
    void buildersCopyTheirArrays() {
        double[] alpha = {0.5, 1.0};
        LossFocal focal = LossFocal.builder().alpha(alpha).build();
        alpha[0] = 9;
        assertEquals(0.5, focal.getAlpha()[0]);
        focal.getAlpha()[1] = 9;
        assertEquals(1.0, focal.getAlpha()[1]);
    }
}
