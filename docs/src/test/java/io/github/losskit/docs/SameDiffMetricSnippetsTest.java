package io.github.losskit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.core.metric.Contrastive;
import io.github.losskit.core.metric.Distance;
import io.github.losskit.core.metric.Mining;
import io.github.losskit.core.metric.PairMode;
import io.github.losskit.core.metric.Triplet;
import io.github.losskit.dl4j.LossContrastive;
import io.github.losskit.dl4j.LossTriplet;
import io.github.losskit.samediff.SDLosses;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
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

/**
 * The metric-loss snippets of docs/samediff.md: the graphs' loss is the DL4J adapter's score (the natural mean)
 * on the same embeddings, labels fed as placeholders are mined in the graph, and training lowers the loss.
 */
class SameDiffMetricSnippetsTest {

    /** Three clusters of 8 points in 4 dimensions around well separated centres, in float; class ids [24, 1]. */
    private static DataSet clusters(long seed) {
        Random random = new Random(seed);
        double[][] centres = {{2, 0, 0, 1}, {0, 2, -1, 0}, {-1, -1, 2, 0}};
        float[][] features = new float[24][4];
        float[][] classes = new float[24][1];
        for (int i = 0; i < 24; i++) {
            int c = i % 3;
            classes[i][0] = c;
            for (int k = 0; k < 4; k++) {
                features[i][k] = (float) (centres[c][k] + 0.8 * random.nextGaussian());
            }
        }
        return new DataSet(Nd4j.createFromArray(features), Nd4j.createFromArray(classes));
    }

    @Test
    void tripletTraining() {
        DataSet batch = clusters(7);

        // region: tripletGraph
        SameDiff sd = SameDiff.create();
        SDVariable input = sd.placeHolder("input", DataType.FLOAT, -1, 4);
        SDVariable classIds = sd.placeHolder("classIds", DataType.FLOAT, -1, 1);   // [N, 1]: known column count
        SDVariable w = sd.var("w", new XavierInitScheme('c', 4, 8), DataType.FLOAT, 4, 8);
        SDVariable embeddings = input.mmul(w);

        // batch hard: per anchor, its farthest positive and nearest negative, mined inside the graph
        Triplet tripletConfig = Triplet.builder().mining(Mining.BATCH_HARD).margin(0.5).build();
        SDVariable loss = new SDLosses(sd).triplet("loss", classIds, embeddings, tripletConfig);

        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(new Adam(0.01))
                .dataSetFeatureMapping("input")
                .dataSetLabelMapping("classIds")
                .build());
        // endregion

        Map<String, INDArray> placeholders = Map.of("input", batch.getFeatures(), "classIds", batch.getLabels());
        double before = sd.output(placeholders, "loss").get("loss").getDouble(0);

        // region: tripletFit
        for (int epoch = 0; epoch < 60; epoch++) {
            sd.fit(batch);   // a DataSet of features and class ids [N, 1]
        }
        // endregion

        double after = sd.output(placeholders, "loss").get("loss").getDouble(0);
        INDArray trained = sd.output(placeholders, embeddings.name()).get(embeddings.name());
        // the graph's loss is LossTriplet's score (the mean over anchors) on the graph's embeddings
        double dl4j = LossTriplet.builder().mining(Mining.BATCH_HARD).margin(0.5).build().computeScore(
                batch.getLabels(), trained, Activation.IDENTITY.getActivationFunction(), null, true);
        assertEquals(dl4j, after, 1e-5);
        assertTrue(before > 0, "the random projection violates some margins: " + before);
        assertTrue(after < 0.5 * before, "training lowered the loss: " + before + " -> " + after);
    }

    @Test
    void contrastiveAllInBatch() {
        INDArray embeddingValues = Nd4j.createFromArray(new double[][] {{0.5, 1.0}, {0.4, 1.2}, {-1.0, 0.3},
                {-0.8, 0.1}, {0.0, -1.0}, {0.2, -0.7}});
        INDArray oneHotLabels = Nd4j.createFromArray(new double[][] {{1, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 1, 0},
                {0, 0, 1}, {0, 0, 1}});

        // region: contrastiveAllInBatch
        SameDiff sd = SameDiff.create();
        SDVariable labels = sd.placeHolder("labels", DataType.DOUBLE, -1, 3);   // one-hot rows [N, 3]
        SDVariable embeddings = sd.var("embeddings", embeddingValues);
        // every pair of rows; rows of the same class are similar; cosine distance, margin 0.5
        Contrastive config = new Contrastive(0.5, 0.0, PairMode.ALL_IN_BATCH, Distance.COSINE);
        SDVariable meanOverPairs = new SDLosses(sd).contrastive("contrastive", labels, embeddings, config);
        // the same configuration in DL4J: its score is the same mean over pairs
        LossContrastive dl4jLoss = new LossContrastive(config.margin(), config.positiveMargin(), config.pairs(),
                config.distance());
        // endregion

        double graph = sd.output(Map.of("labels", oneHotLabels), "contrastive").get("contrastive").getDouble(0);
        double dl4j = dl4jLoss.computeScore(oneHotLabels, embeddingValues, Activation.IDENTITY.getActivationFunction(),
                null, true);
        assertEquals(dl4j, graph, 1e-12);
        // by hand: the mean over the 15 pairs i < j of y d^2 + (1 - y) max(0, 0.5 - d)^2, d = 1 - cos
        double sum = 0;
        for (int i = 0; i < 6; i++) {
            for (int j = i + 1; j < 6; j++) {
                INDArray a = embeddingValues.getRow(i);
                INDArray b = embeddingValues.getRow(j);
                double d = 1 - a.mul(b).sumNumber().doubleValue() / (a.norm2Number().doubleValue()
                        * b.norm2Number().doubleValue());
                boolean similar = i / 2 == j / 2;
                sum += similar ? d * d : Math.pow(Math.max(0, 0.5 - d), 2);
            }
        }
        assertEquals(sum / 15, graph, 1e-12);
        assertTrue(sd.getLossVariables().contains(meanOverPairs.name()));
    }
}
