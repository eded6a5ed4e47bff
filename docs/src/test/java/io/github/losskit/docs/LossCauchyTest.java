package io.github.losskit.docs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import io.github.losskit.core.ElementwiseTerms;
import io.github.losskit.core.Need;
import io.github.losskit.dl4j.ElementwiseLossFunction;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/** The custom-loss example of docs/custom-loss.md does what the page says, in a network too. */
class LossCauchyTest {

    private static DataType previousDefault;
    private static DataType previousFloatingPoint;

    @BeforeAll
    static void doublePrecision() {
        previousDefault = Nd4j.dataType();
        previousFloatingPoint = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restorePrecision() {
        Nd4j.setDefaultDataTypes(previousDefault, previousFloatingPoint);
    }

    private static INDArray random(long seed, int rows, int columns, double spread) {
        Random random = new Random(seed);
        double[][] values = new double[rows][columns];
        for (double[] row : values) {
            for (int j = 0; j < columns; j++) {
                row[j] = spread * random.nextGaussian();
            }
        }
        return Nd4j.createFromArray(values);
    }

    @Test
    void valuesEqualTheFormula() {
        double c = 0.7;
        INDArray labels = random(1, 6, 3, 1.0);
        INDArray predictions = random(2, 6, 3, 2.0);
        predictions.putScalar(0, 0, 50.0);
        INDArray perExample = new LossCauchy(c).computeScoreArray(labels, predictions, Activation.IDENTITY
                .getActivationFunction(), null);
        double[] expected = new double[6];
        for (int n = 0; n < 6; n++) {
            for (int k = 0; k < 3; k++) {
                double r = (predictions.getDouble(n, k) - labels.getDouble(n, k)) / c;
                expected[n] += Math.log(1 + r * r);
            }
        }
        Direct.assertPerExample(expected, perExample, 1e-13);
    }

    @ParameterizedTest
    @ValueSource(strings = {"IDENTITY", "TANH", "SOFTPLUS"})
    void gradientEqualsCentralFiniteDifferences(String activationName) {
        IActivation activation = Activation.valueOf(activationName).getActivationFunction();
        LossCauchy loss = new LossCauchy(0.5);
        INDArray labels = random(3, 5, 4, 1.0);
        INDArray preOutput = random(4, 5, 4, 1.5);
        INDArray analytic = loss.computeGradient(labels, preOutput.dup(), activation, null);

        double h = 1e-6;
        INDArray probe = preOutput.dup();
        for (int i = 0; i < probe.length(); i++) {
            double original = probe.getDouble(i);
            probe.putScalar(i, original + h);
            double up = loss.computeScore(labels, probe.dup(), activation, null, false);
            probe.putScalar(i, original - h);
            double down = loss.computeScore(labels, probe.dup(), activation, null, false);
            probe.putScalar(i, original);
            double numeric = (up - down) / (2 * h);
            assertEquals(numeric, analytic.getDouble(i), 1e-7 * Math.max(1, Math.abs(numeric)),
                    activationName + " element " + i);
        }
    }

    @Test
    void gradientCheck() {
        INDArray features = random(5, 8, 4, 1.0);
        INDArray labels = random(6, 8, 3, 0.5);

        // region: gradientCheck
        // double precision and no updater: finite differences need both
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(12345)
                .dataType(DataType.DOUBLE)
                .updater(new NoOp())
                .list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder()
                        .lossFunction(new LossCauchy(0.8))
                        .activation(Activation.IDENTITY)
                        .nIn(6).nOut(3)
                        .build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();

        boolean gradientsMatch = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig()
                .net(net).input(features).labels(labels)
                .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8));
        // endregion

        assertTrue(gradientsMatch);
    }

    @Test
    void gradientCheckThroughAnotherActivationWithAPerOutputMask() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(12345)
                .dataType(DataType.DOUBLE)
                .updater(new NoOp())
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder()
                        .lossFunction(new LossCauchy(0.8))
                        .activation(Activation.TANH)
                        .nIn(6).nOut(3)
                        .build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray features = random(5, 8, 4, 1.0);
        INDArray labels = random(6, 8, 3, 0.5);
        INDArray perOutputMask = Nd4j.ones(DataType.DOUBLE, 8, 3);
        perOutputMask.putScalar(1, 2, 0.0);
        perOutputMask.putScalar(4, 0, 0.0);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(features)
                .labels(labels).labelMask(perOutputMask).epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)));
    }

    @Test
    void aPerExampleMaskEqualsDroppingThoseRows() {
        LossCauchy loss = new LossCauchy(1.0);
        IActivation identity = Activation.IDENTITY.getActivationFunction();
        INDArray labels = random(7, 5, 2, 1.0);
        INDArray predictions = random(8, 5, 2, 1.0);
        INDArray mask = Nd4j.createFromArray(new double[][] {{1}, {0}, {1}, {0}, {1}});
        // what sits in a masked row must not matter, not even NaN
        INDArray poisoned = predictions.dup();
        poisoned.getRow(1).assign(Double.NaN);
        poisoned.getRow(3).assign(Double.POSITIVE_INFINITY);

        long[] kept = {0, 2, 4};
        INDArray keptLabels = labels.getRows(0, 2, 4);
        INDArray keptPredictions = predictions.getRows(0, 2, 4);
        assertEquals(loss.computeScore(keptLabels, keptPredictions, identity, null, false),
                loss.computeScore(labels, poisoned, identity, mask, false), 1e-12);

        INDArray gradient = loss.computeGradient(labels, poisoned, identity, mask);
        INDArray keptGradient = loss.computeGradient(keptLabels, keptPredictions, identity, null);
        for (int i = 0; i < kept.length; i++) {
            assertEquals(keptGradient.getRow(i), gradient.getRow(kept[i]));
        }
        assertEquals(0.0, gradient.getRow(1).norm1Number().doubleValue());
        assertEquals(0.0, gradient.getRow(3).norm1Number().doubleValue());
    }

    @Test
    void rejectsAScaleThatIsNotPositiveAndFiniteNamingIt() {
        for (double bad : new double[] {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LossCauchy(bad));
            assertTrue(e.getMessage().contains("scale"), e.getMessage());
        }
    }

    @Test
    void equalityFollowsTheScale() {
        assertEquals(new LossCauchy(0.5), new LossCauchy(0.5));
        assertEquals(new LossCauchy(0.5).hashCode(), new LossCauchy(0.5).hashCode());
        assertNotEquals(new LossCauchy(0.5), new LossCauchy(0.25));
        assertEquals("LossCauchy(scale=0.5)", new LossCauchy(0.5).name());
    }

    @Test
    void useInNetwork() throws IOException {
        // region: useInNetwork
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .list()
                .layer(new DenseLayer.Builder().nIn(8).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder()
                        .lossFunction(new LossCauchy(0.37))
                        .activation(Activation.IDENTITY)
                        .nIn(16).nOut(2)
                        .build())
                .build();

        String json = conf.toJson();
        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(json);
        // endregion

        assertTrue(json.contains("\"@class\" : \"io.github.losskit.docs.LossCauchy\""), json);
        assertEquals(conf, restored);
        assertEquals(new LossCauchy(0.37), ((BaseOutputLayer) restored.getConf(1).getLayer()).getLossFn());

        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, saved, false);
        MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(
                saved.toByteArray()), false);
        assertEquals(new LossCauchy(0.37), ((BaseOutputLayer) loaded.getLayerWiseConfigurations().getConf(1)
                .getLayer()).getLossFn());
        assertArrayEquals(net.params().toDoubleVector(), loaded.params().toDoubleVector());
    }

    /** What docs/custom-loss.md says happens when the JSON requirements are not met. */
    @Test
    void withoutAGetterTheSettingIsNotWrittenAndWithoutACreatorNothingIsRead() {
        String withoutGetter = configurationWith(new CauchyWithoutGetter(0.37)).toJson();
        assertTrue(withoutGetter.contains("CauchyWithoutGetter"), withoutGetter);
        assertTrue(!withoutGetter.contains("0.37"), "no getter, yet the scale was written: " + withoutGetter);
        // the creator then receives 0.0, which the constructor refuses: loud instead of a silently changed loss
        Throwable failure = assertThrows(RuntimeException.class, () -> MultiLayerConfiguration.fromJson(withoutGetter));
        StringBuilder causes = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            causes.append(t.getMessage()).append('\n');
        }
        assertTrue(causes.toString().contains("scale must be > 0, got 0.0"), causes.toString());

        String withoutCreator = configurationWith(new CauchyWithoutCreator(0.37)).toJson();
        assertTrue(withoutCreator.contains("0.37"), withoutCreator);
        assertThrows(RuntimeException.class, () -> MultiLayerConfiguration.fromJson(withoutCreator));
    }

    private static MultiLayerConfiguration configurationWith(org.nd4j.linalg.lossfunctions.ILossFunction loss) {
        return new NeuralNetConfiguration.Builder().list()
                .layer(new OutputLayer.Builder().lossFunction(loss).activation(Activation.IDENTITY).nIn(2).nOut(2)
                        .build())
                .build();
    }

    public static final class CauchyWithoutGetter extends ElementwiseLossFunction {
        private static final long serialVersionUID = 1L;
        private final double scale;

        @JsonCreator
        public CauchyWithoutGetter(@JsonProperty("scale") double scale) {
            if (!(scale > 0)) {
                throw new IllegalArgumentException("scale must be > 0, got " + scale);
            }
            this.scale = scale;
        }

        @Override
        protected ElementwiseTerms terms(INDArray labels, INDArray predictions, Need need) {
            throw new UnsupportedOperationException("only serialized in this test");
        }
    }

    public static final class CauchyWithoutCreator extends ElementwiseLossFunction {
        private static final long serialVersionUID = 1L;
        private final double scale;

        public CauchyWithoutCreator(double scale) {
            this.scale = scale;
        }

        public double getScale() {
            return scale;
        }

        @Override
        protected ElementwiseTerms terms(INDArray labels, INDArray predictions, Need need) {
            throw new UnsupportedOperationException("only serialized in this test");
        }
    }
}
