package io.github.losskit.docs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.core.classification.Focal;
import io.github.losskit.core.divergence.TargetSpace;
import io.github.losskit.core.margin.MarginFunction;
import io.github.losskit.core.margin.MarginLabels;
import io.github.losskit.core.margin.MarginLoss;
import io.github.losskit.core.regression.Huber;
import io.github.losskit.dl4j.LossFocal;
import io.github.losskit.dl4j.LossHuber;
import io.github.losskit.dl4j.LossKLDivergence;
import io.github.losskit.dl4j.LossMargin;
import io.github.losskit.samediff.SDLosses;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.weightinit.impl.XavierInitScheme;
import org.nd4j.weightinit.impl.ZeroInitScheme;

/**
 * The snippets of docs/samediff.md: each builds a SameDiff graph with {@link SDLosses}, and the test checks
 * the graph's loss against the DL4J adapter of the same loss (the same configuration object where the page
 * says so) or, for training, that the loss falls.
 */
class SameDiffSnippetsTest {

    private static final double[][] FEATURES = {{0.5, -1.0, 0.2, 1.5}, {-0.3, 0.8, -1.2, 0.0},
            {1.1, 0.4, 0.9, -0.7}, {-1.5, -0.2, 0.3, 0.6}};
    private static final double[][] LOGITS = {{1.5, -0.5, 0.2}, {-2.0, 3.0, 0.1}, {0.0, 0.0, 0.0},
            {4.0, -4.0, 1.0}};
    private static final double[][] ONE_HOT = {{1, 0, 0}, {0, 0, 1}, {0, 1, 0}, {0, 1, 0}};

    private static INDArray evaluate(SameDiff sd, String variable, Map<String, INDArray> placeholders) {
        return sd.output(placeholders, variable).get(variable);
    }

    @Test
    void classifier() {
        DataSet trainingData = ToyData.imbalanced(220, 4, 10, 42);

        // region: classifier
        SameDiff sd = SameDiff.create();
        SDVariable input = sd.placeHolder("input", DataType.FLOAT, -1, 4);
        SDVariable labels = sd.placeHolder("labels", DataType.FLOAT, -1, 2);
        SDVariable w0 = sd.var("w0", new XavierInitScheme('c', 4, 16), DataType.FLOAT, 4, 16);
        SDVariable b0 = sd.var("b0", new ZeroInitScheme(), DataType.FLOAT, 1, 16);
        SDVariable w1 = sd.var("w1", new XavierInitScheme('c', 16, 2), DataType.FLOAT, 16, 2);
        SDVariable b1 = sd.var("b1", new ZeroInitScheme(), DataType.FLOAT, 1, 2);
        SDVariable hidden = sd.nn().relu(input.mmul(w0).add(b0), 0);
        SDVariable logits = hidden.mmul(w1).add(b1);   // no softmax: the loss applies it

        SDVariable loss = new SDLosses(sd).focal("loss", labels, logits, null, LossReduce.MEAN_BY_WEIGHT, 2.0, 0.25);

        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(new Adam(0.01))
                .dataSetFeatureMapping("input")
                .dataSetLabelMapping("labels")
                .build());
        for (int epoch = 0; epoch < 40; epoch++) {
            sd.fit(trainingData);
        }
        // endregion

        assertTrue(sd.getLossVariables().contains("loss"), "the builder marks its result as the graph's loss");
        Map<String, INDArray> placeholders = Map.of("input", trainingData.getFeatures(), "labels",
                trainingData.getLabels());
        double after = evaluate(sd, "loss", placeholders).getDouble(0);

        // the graph's loss is LossFocal's score on the graph's logits
        INDArray trainedLogits = evaluate(sd, logits.name(), placeholders);
        double dl4j = new LossFocal().computeScore(trainingData.getLabels(), trainedLogits,
                Activation.SOFTMAX.getActivationFunction(), null, true);
        assertEquals(dl4j, after, 1e-5, "MEAN_BY_WEIGHT without weights is DL4J's score: the mean over examples");
        // and training beat a network that knows nothing (all logits 0)
        double uniform = new LossFocal().computeScore(trainingData.getLabels(),
                Nd4j.zeros(DataType.FLOAT, trainingData.numExamples(), 2), Activation.SOFTMAX.getActivationFunction(),
                null, true);
        assertTrue(after < 0.7 * uniform, "the trained graph beats an uninformed one: " + uniform + " vs " + after);
    }

    @Test
    void sharedConfiguration() {
        INDArray logitsValues = Direct.doubles(LOGITS);
        INDArray labelValues = Direct.doubles(ONE_HOT);

        // region: sharedConfiguration
        // one configuration for both front ends: gamma 2, one alpha per class
        Focal focal = new Focal(2.0, 0.25, 0.5, 0.25);
        LossFocal dl4jLoss = new LossFocal(focal.gamma(), focal.alpha());

        SameDiff sd = SameDiff.create();
        SDVariable labels = sd.constant("labels", labelValues);
        SDVariable logits = sd.var("logits", logitsValues);
        SDVariable perExample = new SDLosses(sd).focal("perExample", labels, logits, null, LossReduce.NONE, focal);
        // endregion

        INDArray graph = evaluate(sd, "perExample", Map.of());
        assertArrayEquals(new long[] {4}, graph.shape(), "softmax losses give one value per example with NONE");
        INDArray dl4j = dl4jLoss.computeScoreArray(labelValues, logitsValues, Activation.SOFTMAX.getActivationFunction(),
                null);
        for (int n = 0; n < 4; n++) {
            assertEquals(dl4j.getDouble(n, 0), graph.getDouble(n), 1e-12, "example " + n);
        }
    }

    @Test
    void regression() {
        INDArray targetValues = Direct.doubles(new double[][] {{0.5, -1.0, 2.0}, {1.0, 0.0, 0.0}});
        INDArray predictionValues = Direct.doubles(new double[][] {{1.5, -0.5, -1.0}, {0.2, 3.0, 0.05}});

        // region: regression
        SameDiff sd = SameDiff.create();
        SDVariable targets = sd.constant("targets", targetValues);
        SDVariable predictions = sd.var("predictions", predictionValues);
        SDLosses losses = new SDLosses(sd);

        // Huber with delta 1 and per-output weights, summed over everything
        SDVariable huber = losses.huber("huber", targets, predictions, null, LossReduce.SUM,
                new Huber(1.0, new double[] {1.0, 1.0, 0.5}));
        // smooth L1 (beta 0.5) and log-cosh, one value per element
        SDVariable smoothL1 = losses.smoothL1("smoothL1", targets, predictions, null, LossReduce.NONE, 0.5);
        SDVariable logCosh = losses.logCosh("logCosh", targets, predictions, null, LossReduce.NONE);
        // endregion

        double dl4jHuber = LossHuber.builder().delta(1.0).weights(1.0, 1.0, 0.5).build().computeScore(targetValues,
                predictionValues, Activation.IDENTITY.getActivationFunction(), null, false);
        assertEquals(dl4jHuber, evaluate(sd, "huber", Map.of()).getDouble(0), 1e-12);
        INDArray smooth = evaluate(sd, "smoothL1", Map.of());
        INDArray cosh = evaluate(sd, "logCosh", Map.of());
        assertArrayEquals(new long[] {2, 3}, smooth.shape(), "element-wise losses keep [minibatch, outputs]");
        for (int n = 0; n < 2; n++) {
            for (int k = 0; k < 3; k++) {
                double d = predictionValues.getDouble(n, k) - targetValues.getDouble(n, k);
                double expected = Math.abs(d) < 0.5 ? 0.5 * d * d / 0.5 : Math.abs(d) - 0.25;
                assertEquals(expected, smooth.getDouble(n, k), 1e-12);
                assertEquals(Math.log(Math.cosh(d)), cosh.getDouble(n, k), 1e-12);
            }
        }
    }

    @Test
    void margin() {
        INDArray labelValues = Direct.doubles(new double[][] {{1, 0, 1}, {0, 0, 1}});
        INDArray scoreValues = Direct.doubles(new double[][] {{1.5, -0.5, 0.2}, {-2.0, 3.0, 0.1}});

        // region: margin
        SameDiff sd = SameDiff.create();
        SDVariable labels = sd.constant("labels", labelValues);       // 0/1 labels
        SDVariable scores = sd.var("scores", scoreValues);            // raw scores, no activation
        SDVariable hinge = new SDLosses(sd).margin("hinge", labels, scores, null, LossReduce.SUM,
                new MarginLoss(MarginFunction.HINGE, MarginLabels.ZERO_ONE));
        // endregion

        double dl4j = LossMargin.builder().function(MarginFunction.HINGE).labels(MarginLabels.ZERO_ONE).build()
                .computeScore(labelValues, scoreValues, Activation.IDENTITY.getActivationFunction(), null, false);
        assertEquals(dl4j, evaluate(sd, "hinge", Map.of()).getDouble(0), 1e-12);
        // by hand: max(0, 1 - y f) with y = 2 label - 1
        double expected = 0;
        for (int n = 0; n < 2; n++) {
            for (int k = 0; k < 3; k++) {
                double y = 2 * labelValues.getDouble(n, k) - 1;
                expected += Math.max(0, 1 - y * scoreValues.getDouble(n, k));
            }
        }
        assertEquals(expected, evaluate(sd, "hinge", Map.of()).getDouble(0), 1e-12);
    }

    @Test
    void distillation() {
        INDArray teacherProbabilities = Direct.doubles(new double[][] {{0.2, 0.3, 0.5}, {0.0, 1.0, 0.0},
                {0.7, 0.0, 0.3}, {0.1, 0.1, 0.8}});
        INDArray studentLogits = Direct.doubles(LOGITS);

        // region: distillation
        SameDiff sd = SameDiff.create();
        SDVariable teacher = sd.constant("teacher", teacherProbabilities);   // rows sum to 1
        SDVariable student = sd.var("student", studentLogits);               // logits, no softmax
        SDVariable kl = new SDLosses(sd).klDivergence("kl", teacher, student, null, LossReduce.MEAN_BY_WEIGHT,
                TargetSpace.PROBABILITIES);
        // endregion

        double dl4j = new LossKLDivergence().computeScore(teacherProbabilities, studentLogits,
                Activation.SOFTMAX.getActivationFunction(), null, true);
        assertEquals(dl4j, evaluate(sd, "kl", Map.of()).getDouble(0), 1e-12,
                "MEAN_BY_WEIGHT without weights averages the per-example divergences, as DL4J's score does");
    }

    /** docs/samediff.md: weights multiply, so a zero weight does not remove a NaN the way a DL4J mask does. */
    @Test
    void aZeroWeightMultipliesRatherThanSelects() {
        INDArray labelValues = Direct.doubles(new double[][] {{0.5, Double.NaN}, {1.0, 2.0}});
        INDArray predictionValues = Direct.doubles(new double[][] {{1.0, 0.0}, {1.5, 2.5}});
        INDArray weightValues = Direct.doubles(new double[][] {{1, 0}, {1, 1}});
        SameDiff sd = SameDiff.create();
        // placeholder labels: constant labels with NaN would be refused when the graph is built
        SDVariable labels = sd.placeHolder("labels", DataType.DOUBLE, -1, 2);
        new SDLosses(sd).huber("loss", labels, sd.var("p", predictionValues), sd.constant(weightValues),
                LossReduce.SUM, 1.0);
        assertTrue(Double.isNaN(evaluate(sd, "loss", Map.of("labels", labelValues)).getDouble(0)),
                "NaN * 0 is NaN");

        double masked = new LossHuber().computeScore(labelValues, predictionValues,
                Activation.IDENTITY.getActivationFunction(), weightValues, false);
        assertEquals(3 * 0.125, masked, 1e-12, "the DL4J adapter selects the masked position out");
    }

    @Test
    void trainingAGraphLowersItsLoss() {
        // the classifier snippet's features are random; this checks the same pattern on fixed data
        INDArray features = Direct.doubles(FEATURES).castTo(DataType.FLOAT);
        INDArray labels = Direct.doubles(ONE_HOT).castTo(DataType.FLOAT);
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("input", DataType.FLOAT, -1, 4);
        SDVariable y = sd.placeHolder("labels", DataType.FLOAT, -1, 3);
        SDVariable w = sd.var("w", new XavierInitScheme('c', 4, 3), DataType.FLOAT, 4, 3);
        new SDLosses(sd).crossEntropy("loss", y, in.mmul(w), null, LossReduce.SUM, 0.0);
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(0.05)).dataSetFeatureMapping("input")
                .dataSetLabelMapping("labels").build());
        Map<String, INDArray> placeholders = Map.of("input", features, "labels", labels);
        double before = evaluate(sd, "loss", placeholders).getDouble(0);
        DataSet data = new DataSet(features, labels);
        for (int i = 0; i < 100; i++) {
            sd.fit(data);
        }
        double after = evaluate(sd, "loss", placeholders).getDouble(0);
        assertTrue(after < 0.5 * before, before + " -> " + after);
    }
}
