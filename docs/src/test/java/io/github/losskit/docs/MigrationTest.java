package io.github.losskit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.core.margin.MarginFunction;
import io.github.losskit.core.margin.MarginLabels;
import io.github.losskit.dl4j.LossBinaryCrossEntropy;
import io.github.losskit.dl4j.LossCrossEntropy;
import io.github.losskit.dl4j.LossHuber;
import io.github.losskit.dl4j.LossKLDivergence;
import io.github.losskit.dl4j.LossMargin;
import io.github.losskit.dl4j.LossSmoothL1;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossHinge;
import org.nd4j.linalg.lossfunctions.impl.LossKLD;
import org.nd4j.linalg.lossfunctions.impl.LossL1;
import org.nd4j.linalg.lossfunctions.impl.LossL2;
import org.nd4j.linalg.lossfunctions.impl.LossMAE;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;
import org.nd4j.linalg.util.FeatureUtil;

/**
 * The snippets of docs/migration.md and the numerical statements it makes that {@link BuiltInComparisonTest}
 * does not already assert. Observed with DL4J 1.0.0-M2.1; if a DL4J upgrade changes one, the page must change.
 */
class MigrationTest {

    private static final IActivation SOFTMAX = Activation.SOFTMAX.getActivationFunction();
    private static final IActivation SIGMOID = Activation.SIGMOID.getActivationFunction();
    private static final IActivation IDENTITY = Activation.IDENTITY.getActivationFunction();

    private static final INDArray LOGITS = Direct.doubles(new double[][] {{1.5, -0.5, 0.2}, {-2.0, 3.0, 0.1}});
    private static final INDArray ONE_HOT = Direct.doubles(new double[][] {{1, 0, 0}, {0, 0, 1}});
    private static final INDArray ZERO_ONE = Direct.doubles(new double[][] {{1, 0, 1}, {0, 0, 1}});

    private static void assertSameScores(ILossFunction expected, ILossFunction actual, INDArray labels,
            INDArray preOutput, IActivation activation) {
        INDArray e = expected.computeScoreArray(labels, preOutput.dup(), activation, null);
        INDArray a = actual.computeScoreArray(labels, preOutput.dup(), activation, null);
        assertTrue(e.equalsWithEps(a, 1e-9), e + " vs " + a);
        INDArray eg = expected.computeGradient(labels, preOutput.dup(), activation, null);
        INDArray ag = actual.computeGradient(labels, preOutput.dup(), activation, null);
        assertTrue(eg.equalsWithEps(ag, 1e-9), eg + " vs " + ag);
    }

    @Test
    void crossEntropy() {
        // region: crossEntropy
        // before
        OutputLayer builtIn = new OutputLayer.Builder()
                .lossFunction(new LossMCXENT(Nd4j.createFromArray(1.0, 4.0, 1.0)))
                .activation(Activation.SOFTMAX)
                .nIn(16).nOut(3)
                .build();
        // after
        OutputLayer lossKit = new OutputLayer.Builder()
                .lossFunction(LossCrossEntropy.builder().weights(1.0, 4.0, 1.0).build())
                .activation(Activation.SOFTMAX)
                .nIn(16).nOut(3)
                .build();
        // endregion

        assertSameScores(builtIn.getLossFn(), lossKit.getLossFn(), ONE_HOT, LOGITS, SOFTMAX);
    }

    @Test
    void binaryCrossEntropy() {
        // region: binaryCrossEntropy
        // before
        OutputLayer builtIn = new OutputLayer.Builder()
                .lossFunction(new LossBinaryXENT())
                .activation(Activation.SIGMOID)
                .nIn(16).nOut(3)
                .build();
        // after
        OutputLayer lossKit = new OutputLayer.Builder()
                .lossFunction(new LossBinaryCrossEntropy())
                .activation(Activation.SIGMOID)
                .nIn(16).nOut(3)
                .build();
        // endregion

        INDArray e = builtIn.getLossFn().computeScoreArray(ZERO_ONE, LOGITS.dup(), SIGMOID, null);
        INDArray a = lossKit.getLossFn().computeScoreArray(ZERO_ONE, LOGITS.dup(), SIGMOID, null);
        assertTrue(e.equalsWithEps(a, 1e-5), e + " vs " + a);
    }

    @Test
    void margin() {
        // region: margin
        // before: labels must be -1/+1
        OutputLayer builtIn = new OutputLayer.Builder()
                .lossFunction(new LossHinge())
                .activation(Activation.IDENTITY)
                .nIn(16).nOut(3)
                .build();
        // after: the same loss on -1/+1 labels, or say that the labels are 0/1
        OutputLayer lossKit = new OutputLayer.Builder()
                .lossFunction(new LossMargin(MarginFunction.HINGE))
                .activation(Activation.IDENTITY)
                .nIn(16).nOut(3)
                .build();
        OutputLayer zeroOneLabels = new OutputLayer.Builder()
                .lossFunction(LossMargin.builder().function(MarginFunction.HINGE).labels(MarginLabels.ZERO_ONE).build())
                .activation(Activation.IDENTITY)
                .nIn(16).nOut(3)
                .build();
        // endregion

        INDArray plusMinusOne = ZERO_ONE.mul(2).subi(1);
        assertSameScores(builtIn.getLossFn(), lossKit.getLossFn(), plusMinusOne, LOGITS, IDENTITY);
        INDArray zeroOneScores = zeroOneLabels.getLossFn().computeScoreArray(ZERO_ONE, LOGITS.dup(), IDENTITY, null);
        INDArray plusMinusScores = lossKit.getLossFn().computeScoreArray(plusMinusOne, LOGITS.dup(), IDENTITY, null);
        assertTrue(zeroOneScores.equalsWithEps(plusMinusScores, 1e-12));
    }

    @Test
    void regression() {
        // region: regression
        // before: the mean of the squared errors over the outputs
        OutputLayer builtIn = new OutputLayer.Builder()
                .lossFunction(new LossMSE())
                .activation(Activation.IDENTITY)
                .nIn(16).nOut(3)
                .build();
        // after: quadratic up to delta, linear beyond; summed over the outputs
        OutputLayer lossKit = new OutputLayer.Builder()
                .lossFunction(LossHuber.builder().delta(1.0).build())
                .activation(Activation.IDENTITY)
                .nIn(16).nOut(3)
                .build();
        // endregion

        // with |d| < delta everywhere, Huber is half the squared error, summed: outputs / 2 times LossMSE
        INDArray labels = LOGITS.mul(0.9);
        INDArray mse = builtIn.getLossFn().computeScoreArray(labels, LOGITS.dup(), IDENTITY, null);
        INDArray huber = lossKit.getLossFn().computeScoreArray(labels, LOGITS.dup(), IDENTITY, null);
        assertTrue(mse.mul(1.5).equalsWithEps(huber, 1e-12), mse + " vs " + huber);
    }

    @Test
    void sparseLabels() {
        int[] classIndices = {0, 2};

        // region: sparseLabels
        // LossSparseMCXENT took class indices [minibatch, 1]; LossKit takes one-hot rows [minibatch, classes]
        INDArray oneHot = FeatureUtil.toOutcomeMatrix(classIndices, 3);
        // endregion

        INDArray indices = Direct.doubles(new double[][] {{0}, {2}});
        INDArray sparse = new LossSparseMCXENT().computeScoreArray(indices, LOGITS.dup(), SOFTMAX, null);
        INDArray dense = new LossCrossEntropy().computeScoreArray(oneHot.castTo(DataType.DOUBLE), LOGITS.dup(),
                SOFTMAX, null);
        assertTrue(sparse.equalsWithEps(dense, 1e-9), sparse + " vs " + dense);
    }

    @Test
    void switchTheLossOfATrainedNetwork() {
        DataSet data = ToyData.imbalanced(60, 4, 3, 9);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                .updater(new Adam(0.01)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder().lossFunction(new LossMCXENT()).activation(Activation.SOFTMAX)
                        .nIn(8).nOut(2).build())
                .build());
        net.init();
        net.fit(data);
        INDArray parameters = net.params().dup();

        // region: switchLoss
        // a network trained (or restored with ModelSerializer) with a built-in loss keeps its parameters
        OutputLayer output = (OutputLayer) net.getLayerWiseConfigurations().getConf(1).getLayer();
        output.setLossFn(new LossCrossEntropy());
        // endregion

        assertEquals(parameters, net.params());
        // the output layer's activations are probabilities: the logits from the hidden layer and the parameters
        INDArray logits = net.feedForwardToLayer(0, data.getFeatures(), false).get(1).mmul(net.getParam("1_W"))
                .addiRowVector(net.getParam("1_b"));
        double expected = new LossCrossEntropy().computeScore(data.getLabels(), logits, SOFTMAX, null, true);
        assertEquals(expected, net.score(data), 1e-5, "the network now scores with LossCrossEntropy");
        net.fit(data);
        assertTrue(Double.isFinite(net.score()));
        MultiLayerConfiguration saved = MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson());
        assertInstanceOf(LossCrossEntropy.class, ((OutputLayer) saved.getConf(1).getLayer()).getLossFn(),
                "the change is part of the saved configuration");
    }

    // ---- numerical differences stated on the page ----

    @Test
    void builtInsAcceptActivationsThatLossKitRefuses() {
        INDArray probabilities = Direct.doubles(new double[][] {{0.7, 0.2, 0.1}, {0.1, 0.3, 0.6}});
        // LossMCXENT takes probabilities from an earlier softmax layer (identity output) and logs them
        INDArray builtIn = new LossMCXENT().computeScoreArray(ONE_HOT, probabilities, IDENTITY, null);
        assertEquals(-Math.log(0.7), builtIn.getDouble(0), 1e-9);
        assertTrue(Double.isFinite(new LossMCXENT().computeScore(ONE_HOT, LOGITS.dup(), SIGMOID, null, false)),
                "LossMCXENT also accepts a sigmoid output");
        assertThrows(IllegalArgumentException.class,
                () -> new LossCrossEntropy().computeScore(ONE_HOT, probabilities, IDENTITY, null, false));
        assertThrows(IllegalArgumentException.class,
                () -> new LossCrossEntropy().computeScore(ONE_HOT, LOGITS.dup(), SIGMOID, null, false));
        INDArray binaryProbabilities = Direct.doubles(new double[][] {{0.9, 0.2, 0.6}, {0.1, 0.3, 0.8}});
        assertTrue(Double.isFinite(new LossBinaryXENT().computeScore(ZERO_ONE, binaryProbabilities, IDENTITY, null,
                false)));
        assertThrows(IllegalArgumentException.class, () -> new LossBinaryCrossEntropy().computeScore(ZERO_ONE,
                binaryProbabilities, IDENTITY, null, false));
    }

    @Test
    void perOutputMasksWithSoftmaxMustBeConstantAlongEachRow() {
        INDArray partial = Direct.doubles(new double[][] {{1, 1, 0}, {1, 1, 1}});
        // LossMCXENT scores such a mask silently and refuses it only when computing the gradient (in training)
        double builtInScore = new LossMCXENT().computeScore(ONE_HOT, LOGITS.dup(), SOFTMAX, partial, false);
        assertTrue(Double.isFinite(builtInScore));
        assertThrows(UnsupportedOperationException.class,
                () -> new LossMCXENT().computeGradient(ONE_HOT, LOGITS.dup(), SOFTMAX, partial));
        assertThrows(IllegalArgumentException.class,
                () -> new LossCrossEntropy().computeScore(ONE_HOT, LOGITS.dup(), SOFTMAX, partial, false));
        INDArray rowConstant = Direct.doubles(new double[][] {{1, 1, 1}, {0, 0, 0}});
        INDArray builtIn = new LossMCXENT().computeScoreArray(ONE_HOT, LOGITS.dup(), SOFTMAX, rowConstant);
        INDArray lossKit = new LossCrossEntropy().computeScoreArray(ONE_HOT, LOGITS.dup(), SOFTMAX, rowConstant);
        assertTrue(builtIn.equalsWithEps(lossKit, 1e-9), builtIn + " vs " + lossKit);
    }

    @Test
    void builtInsTakeLabelsOutsideTheirDomainSilently() {
        INDArray two = Direct.doubles(new double[][] {{2, 0, 0}, {0, 0, 1}});
        double negative = new LossBinaryXENT().computeScoreArray(two, LOGITS.dup(), SIGMOID, null).getDouble(0);
        assertTrue(negative < 0, "LossBinaryXENT scores a label of 2 as " + negative);
        assertThrows(IllegalArgumentException.class,
                () -> new LossBinaryCrossEntropy().computeScore(two, LOGITS.dup(), SIGMOID, null, false));

        // LossHinge with 0/1 labels: a 0 label gives the margin 0, a constant loss of 1 and no gradient
        INDArray hingeGradient = new LossHinge().computeGradient(ZERO_ONE, LOGITS.dup(), IDENTITY, null);
        INDArray hingeScores = new LossHinge().computeScoreArray(ZERO_ONE, LOGITS.dup(), IDENTITY, null);
        assertEquals(0.0, Math.abs(hingeGradient.getDouble(0, 1)), "label 0: no gradient whatever the score");
        assertEquals(0.0, Math.abs(hingeGradient.getDouble(1, 0)));
        assertEquals(0 + 1 + (1 - 0.2), hingeScores.getDouble(0), 1e-12, "the 0 label costs 1");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new LossMargin(MarginFunction.HINGE).computeScore(ZERO_ONE, LOGITS.dup(), IDENTITY, null, false));
        assertTrue(refused.getMessage().contains("-1 or +1"), refused.getMessage());
    }

    @Test
    void nanInAMaskedRowReachesTheBuiltInsScoreButNotLossKits() {
        INDArray labels = Direct.doubles(new double[][] {{Double.NaN, 0, 0}, {0, 0, 1}});
        INDArray rowMask = Direct.doubles(new double[][] {{0}, {1}});
        double builtIn = new LossBinaryXENT().computeScore(labels, LOGITS.dup(), SIGMOID, rowMask, false);
        assertTrue(Double.isNaN(builtIn), "LossBinaryXENT multiplies by the mask: NaN * 0 = NaN");
        double lossKit = new LossBinaryCrossEntropy().computeScore(labels, LOGITS.dup(), SIGMOID, rowMask, false);
        double secondRowOnly = new LossBinaryCrossEntropy().computeScore(Direct.doubles(new double[][] {{0, 0, 1}}),
                Direct.doubles(new double[][] {{-2.0, 3.0, 0.1}}), SIGMOID, null, false);
        assertEquals(secondRowOnly, lossKit, 1e-12);
    }

    @Test
    void squaredErrorScales() {
        INDArray labels = Direct.doubles(new double[][] {{0.5, -1.0, 2.0}, {1.0, 0.0, 0.0}});
        INDArray predictions = Direct.doubles(new double[][] {{1.5, -0.5, -1.0}, {0.2, 3.0, 0.05}});
        ILossFunction halfSquaredError = new LossHuber(1e6);
        INDArray l2 = new LossL2().computeScoreArray(labels, predictions.dup(), IDENTITY, null);
        INDArray mse = new LossMSE().computeScoreArray(labels, predictions.dup(), IDENTITY, null);
        INDArray huber = halfSquaredError.computeScoreArray(labels, predictions.dup(), IDENTITY, null);
        // LossL2 sums the squared errors, LossMSE averages them over the 3 outputs; Huber sums half of each
        assertTrue(l2.mul(0.5).equalsWithEps(huber, 1e-9), l2 + " vs " + huber);
        assertTrue(mse.mul(3).equalsWithEps(l2, 1e-12), mse + " vs " + l2);
        // gradients: LossMSE 2 d / outputs, LossL2 2 d, Huber d
        INDArray d = predictions.sub(labels);
        assertTrue(new LossMSE().computeGradient(labels, predictions.dup(), IDENTITY, null)
                .equalsWithEps(d.mul(2.0 / 3), 1e-12));
        assertTrue(new LossL2().computeGradient(labels, predictions.dup(), IDENTITY, null)
                .equalsWithEps(d.mul(2.0), 1e-12));
        assertTrue(halfSquaredError.computeGradient(labels, predictions.dup(), IDENTITY, null).equalsWithEps(d, 1e-9));
    }

    /**
     * LossMAE is inconsistent in DL4J 1.0.0-M2.1: its per-example score array sums |d| over the outputs, but its
     * score (what a network reports) and its gradient are divided by the number of outputs.
     */
    @Test
    void absoluteErrorScales() {
        INDArray labels = Direct.doubles(new double[][] {{0.5, -1.0, 2.0}, {1.0, 0.0, 0.0}});
        INDArray predictions = Direct.doubles(new double[][] {{1.5, -0.5, -1.0}, {0.2, 3.0, 0.05}});
        ILossFunction smoothL1 = new LossSmoothL1(1e-12);
        double sumAbs = 1.0 + 0.5 + 3.0 + 0.8 + 3.0 + 0.05;

        assertEquals(sumAbs, new LossMAE().computeScoreArray(labels, predictions.dup(), IDENTITY, null).sumNumber()
                .doubleValue(), 1e-9, "score array: the sum over outputs");
        assertEquals(sumAbs / 3, new LossMAE().computeScore(labels, predictions.dup(), IDENTITY, null, false), 1e-9,
                "score: the mean over outputs");
        assertEquals(sumAbs, new LossL1().computeScore(labels, predictions.dup(), IDENTITY, null, false), 1e-9);
        assertEquals(sumAbs, smoothL1.computeScore(labels, predictions.dup(), IDENTITY, null, false), 1e-9);

        INDArray sign = Direct.doubles(new double[][] {{1, 1, -1}, {-1, 1, 1}});
        assertTrue(new LossMAE().computeGradient(labels, predictions.dup(), IDENTITY, null)
                .equalsWithEps(sign.div(3), 1e-9));
        assertTrue(new LossL1().computeGradient(labels, predictions.dup(), IDENTITY, null).equalsWithEps(sign, 1e-9));
        assertTrue(smoothL1.computeGradient(labels, predictions.dup(), IDENTITY, null).equalsWithEps(sign, 1e-9));
    }

    @Test
    void klDivergenceSwap() {
        INDArray targets = Direct.doubles(new double[][] {{0.2, 0.3, 0.5}, {0.1, 0.1, 0.8}});
        INDArray e = new LossKLD().computeScoreArray(targets, LOGITS.dup(), SOFTMAX, null);
        INDArray a = new LossKLDivergence().computeScoreArray(targets, LOGITS.dup(), SOFTMAX, null);
        assertTrue(e.equalsWithEps(a, 1e-6), e + " vs " + a);
    }
}
