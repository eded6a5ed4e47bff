package io.github.losskit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.core.metric.Distance;
import io.github.losskit.core.metric.Mining;
import io.github.losskit.core.metric.PairMode;
import io.github.losskit.dl4j.LossContrastive;
import io.github.losskit.dl4j.LossTriplet;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The snippets of docs/losses/LossContrastive.md and LossTriplet.md, and the statements of those pages about
 * the score: DL4J's score is the natural mean of the loss (over pairs, triplets or anchors), and a masked row
 * leaves every pair or triplet it belongs to.
 */
class MetricSnippetsTest {

    private static final IActivation IDENTITY = Activation.IDENTITY.getActivationFunction();

    // ---------------------------------------------------------------- the formulas, written out by hand

    static double euclidean(double[] a, double[] b) {
        double sum = 0;
        for (int k = 0; k < a.length; k++) {
            sum += (a[k] - b[k]) * (a[k] - b[k]);
        }
        return Math.sqrt(sum);
    }

    /** Hadsell's term for one pair: y max(0, d - mPos)^2 + (1 - y) max(0, mNeg - d)^2. */
    static double contrastive(boolean similar, double d, double margin, double positiveMargin) {
        double slack = similar ? Math.max(0, d - positiveMargin) : Math.max(0, margin - d);
        return slack * slack;
    }

    /** The mean over consecutive pairs (rows 2i, 2i+1) of the contrastive loss, similarity from the labels. */
    static double meanOverConsecutivePairs(double[][] x, double[] similarity, double margin) {
        double sum = 0;
        int pairs = x.length / 2;
        for (int i = 0; i < pairs; i++) {
            sum += contrastive(similarity[2 * i] == 1, euclidean(x[2 * i], x[2 * i + 1]), margin, 0);
        }
        return sum / pairs;
    }

    /** The mean over all pairs i < j of the contrastive loss, similar when the class ids are equal. */
    static double meanOverAllPairs(double[][] x, double[] classes, double margin) {
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
                sum += contrastive(classes[i] == classes[j], euclidean(x[i], x[j]), margin, 0);
                pairs++;
            }
        }
        return sum / pairs;
    }

    /** The mean over triplets (rows 3i, 3i+1, 3i+2) of max(0, margin + d(a,p) - d(a,n)). */
    static double meanOverConsecutiveTriplets(double[][] x, double margin) {
        double sum = 0;
        int triplets = x.length / 3;
        for (int i = 0; i < triplets; i++) {
            sum += Math.max(0, margin + euclidean(x[3 * i], x[3 * i + 1]) - euclidean(x[3 * i], x[3 * i + 2]));
        }
        return sum / triplets;
    }

    /** Batch hard: per anchor its farthest positive and nearest negative; the mean over anchors with both. */
    static double batchHard(double[][] x, double[] classes, double margin) {
        double sum = 0;
        int anchors = 0;
        for (int a = 0; a < x.length; a++) {
            double farthestPositive = Double.NEGATIVE_INFINITY;
            double nearestNegative = Double.POSITIVE_INFINITY;
            for (int j = 0; j < x.length; j++) {
                if (j == a) {
                    continue;
                }
                double d = euclidean(x[a], x[j]);
                if (classes[j] == classes[a]) {
                    farthestPositive = Math.max(farthestPositive, d);
                } else {
                    nearestNegative = Math.min(nearestNegative, d);
                }
            }
            if (farthestPositive > Double.NEGATIVE_INFINITY && nearestNegative < Double.POSITIVE_INFINITY) {
                sum += Math.max(0, margin + farthestPositive - nearestNegative);
                anchors++;
            }
        }
        return anchors == 0 ? 0 : sum / anchors;
    }

    // ---------------------------------------------------------------- data

    /** Rows around one centre per class: class ids, centre spacing and noise as given. */
    static double[][] clustered(double[] classes, int dimensions, double spacing, double noise, long seed) {
        Random random = new Random(seed);
        double[][] x = new double[classes.length][dimensions];
        for (int i = 0; i < classes.length; i++) {
            for (int k = 0; k < dimensions; k++) {
                double centre = k == (int) classes[i] % dimensions ? spacing : 0;
                x[i][k] = centre + noise * random.nextGaussian();
            }
        }
        return x;
    }

    /** Every row replaced by the mean row: the embedding has collapsed to one point. */
    static double[][] collapsed(double[][] x) {
        double[] mean = new double[x[0].length];
        for (double[] row : x) {
            for (int k = 0; k < mean.length; k++) {
                mean[k] += row[k] / x.length;
            }
        }
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = mean.clone();
        }
        return out;
    }

    static double[][] gaussian(int rows, int columns, long seed) {
        Random random = new Random(seed);
        double[][] x = new double[rows][columns];
        for (double[] row : x) {
            for (int k = 0; k < columns; k++) {
                row[k] = random.nextGaussian();
            }
        }
        return x;
    }

    static INDArray column(double... values) {
        double[][] c = new double[values.length][1];
        for (int i = 0; i < values.length; i++) {
            c[i][0] = values[i];
        }
        return Nd4j.createFromArray(c);
    }

    static double[][] rows(INDArray array) {
        return array.castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    /** A one-layer network around {@code output}, in double precision, that does not train. */
    static MultiLayerNetwork network(OutputLayer output) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7)
                .dataType(DataType.DOUBLE)
                .updater(new NoOp())
                .list()
                .layer(output)
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static INDArray preOutput(MultiLayerNetwork net, INDArray features) {
        return features.mmul(net.getParam("0_W")).addiRowVector(net.getParam("0_b"));
    }

    // ---------------------------------------------------------------- LossContrastive.md

    @Test
    void contrastivePairs() {
        // region: contrastivePairs
        // rows 2i and 2i+1 are a pair; labels [2N, 1] hold its similarity (1 similar, 0 dissimilar) on both rows
        OutputLayer output = new OutputLayer.Builder()
                .lossFunction(LossContrastive.builder().margin(1.0).build())
                .activation(Activation.IDENTITY)
                .nIn(64).nOut(16)
                .build();
        // endregion

        assertEquals(new LossContrastive(1.0, 0.0, PairMode.CONSECUTIVE, Distance.EUCLIDEAN), output.getLossFn());
        assertEquals(new LossContrastive(), output.getLossFn(), "the defaults: margin 1, consecutive, Euclidean");

        // in a network, DL4J's score is the mean over pairs
        MultiLayerNetwork net = network(output);
        INDArray features = Nd4j.createFromArray(gaussian(8, 64, 11)).muli(0.05);
        double[] similarity = {1, 1, 0, 0, 0, 0, 1, 1};
        INDArray labels = column(similarity);
        INDArray preOutput = preOutput(net, features);
        double mean = meanOverConsecutivePairs(rows(preOutput), similarity, 1.0);
        assertTrue(mean > 0);
        assertEquals(mean, net.score(new DataSet(features, labels)), 1e-10);
        assertEquals(8 * mean, output.getLossFn().computeScore(labels, preOutput, IDENTITY, null, false), 1e-10,
                "the total is rows x the mean over pairs");

        // each pair's loss is written on both of its rows
        INDArray perRow = output.getLossFn().computeScoreArray(labels, preOutput, IDENTITY, null);
        for (int pair = 0; pair < 4; pair++) {
            assertEquals(perRow.getDouble(2 * pair, 0), perRow.getDouble(2 * pair + 1, 0), 1e-15);
        }

        // masking row 5 drops its pair (rows 4 and 5); the divisor of DL4J's score stays 8
        INDArray mask = column(1, 1, 1, 1, 1, 0, 1, 1);
        double[][] kept = {rows(preOutput)[0], rows(preOutput)[1], rows(preOutput)[2], rows(preOutput)[3],
                rows(preOutput)[6], rows(preOutput)[7]};
        double keptMean = meanOverConsecutivePairs(kept, new double[] {1, 1, 0, 0, 1, 1}, 1.0);
        assertEquals(6 * keptMean, output.getLossFn().computeScore(labels, preOutput, IDENTITY, mask, false), 1e-10);
        assertEquals(6 * keptMean / 8, net.score(new DataSet(features, labels, null, mask)), 1e-10);
        INDArray maskedRows = output.getLossFn().computeScoreArray(labels, preOutput, IDENTITY, mask);
        assertEquals(0.0, maskedRows.getDouble(4, 0));
        assertEquals(0.0, maskedRows.getDouble(5, 0));
    }

    @Test
    void contrastiveAllInBatch() {
        double[] classes = {0, 0, 1, 1, 2, 2};
        INDArray embeddings = Nd4j.createFromArray(clustered(classes, 3, 3.0, 0.2, 5));

        // region: contrastiveAllInBatch
        // every pair of rows; labels are class ids [N, 1] (or one-hot rows [N, K]): equal classes are similar
        LossContrastive loss = LossContrastive.builder()
                .margin(2.0)
                .pairs(PairMode.ALL_IN_BATCH)
                .build();
        INDArray classIds = Nd4j.createFromArray(new double[][] {{0}, {0}, {1}, {1}, {2}, {2}});
        double meanOverPairs = loss.computeScore(classIds, embeddings, Activation.IDENTITY.getActivationFunction(),
                null, true);
        // endregion

        double[][] x = rows(embeddings);
        assertEquals(meanOverAllPairs(x, classes, 2.0), meanOverPairs, 1e-12);
        INDArray oneHot = Nd4j.createFromArray(new double[][] {
                {1, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 1, 0}, {0, 0, 1}, {0, 0, 1}});
        assertEquals(meanOverPairs, loss.computeScore(oneHot, embeddings, IDENTITY, null, true), 1e-12,
                "one-hot rows are the same labels");

        // row i holds rows / pairs x half the losses of its pairs: 6 / 15 x 1/2 x sum over j != i
        INDArray perRow = loss.computeScoreArray(classIds, embeddings, IDENTITY, null);
        for (int i = 0; i < 6; i++) {
            double own = 0;
            for (int j = 0; j < 6; j++) {
                if (j != i) {
                    own += contrastive(classes[i] == classes[j], euclidean(x[i], x[j]), 2.0, 0);
                }
            }
            assertEquals(6.0 / 15 * 0.5 * own, perRow.getDouble(i, 0), 1e-12, "row " + i);
        }

        // well-separated classes score below a collapsed embedding, where the 12 dissimilar pairs cost margin^2
        double collapsed = loss.computeScore(classIds, Nd4j.createFromArray(collapsed(x)), IDENTITY, null, true);
        assertEquals(12.0 / 15 * 4.0, collapsed, 1e-6);
        assertTrue(meanOverPairs < 0.1 * collapsed, meanOverPairs + " vs " + collapsed);

        // masking a row gives the total of the batch without it
        INDArray mask = column(1, 1, 1, 0, 1, 1);
        int[] keptRows = {0, 1, 2, 4, 5};
        double withoutRow3 = loss.computeScore(classIds.getRows(keptRows), embeddings.getRows(keptRows), IDENTITY,
                null, false);
        assertEquals(withoutRow3, loss.computeScore(classIds, embeddings, IDENTITY, mask, false), 1e-12);
    }

    @Test
    void contrastivePositiveMarginLeavesCloseSimilarPairsAlone() {
        LossContrastive loss = LossContrastive.builder().margin(1.0).positiveMargin(0.5).build();
        INDArray labels = column(1, 1, 1, 1);
        INDArray x = Nd4j.createFromArray(new double[][] {{0, 0}, {0.3, 0}, {0, 0}, {0.9, 0}});
        INDArray perRow = loss.computeScoreArray(labels, x, IDENTITY, null);
        assertEquals(0.0, perRow.getDouble(0, 0), "d = 0.3 < 0.5");
        assertEquals(0.4 * 0.4, perRow.getDouble(2, 0), 1e-12, "d = 0.9: (0.9 - 0.5)^2");
    }

    /** Docs, numerical notes: the Euclidean distance's gradient at a = b is 0, so an identical pair is not pushed. */
    @Test
    void anIdenticalDissimilarPairCostsTheMarginSquaredButHasNoGradient() {
        LossContrastive loss = new LossContrastive();
        INDArray labels = column(0, 0);
        INDArray x = Nd4j.createFromArray(new double[][] {{0.4, -0.2, 1.0}, {0.4, -0.2, 1.0}});
        assertEquals(1.0, loss.computeScore(labels, x, IDENTITY, null, true), 1e-15, "margin^2 = 1");
        assertEquals(0.0, loss.computeGradient(labels, x, IDENTITY, null).norm1Number().doubleValue());
        INDArray apart = Nd4j.createFromArray(new double[][] {{0.4, -0.2, 1.0}, {0.4, -0.2, 1.001}});
        assertTrue(loss.computeGradient(labels, apart, IDENTITY, null).norm1Number().doubleValue() > 1,
                "a thousandth apart, the pair is pushed with full force");
    }

    // ---------------------------------------------------------------- LossTriplet.md

    @Test
    void tripletBatchHard() {
        // region: tripletBatchHard
        // labels are class ids [N, 1] or one-hot rows [N, K]; each batch needs several examples per class
        OutputLayer output = new OutputLayer.Builder()
                .lossFunction(LossTriplet.builder().mining(Mining.BATCH_HARD).margin(0.5).build())
                .activation(Activation.IDENTITY)
                .nIn(32).nOut(8)
                .build();
        // endregion

        assertEquals(LossTriplet.builder().margin(0.5).mining(Mining.BATCH_HARD).build(), output.getLossFn());

        // on a small clustered batch, well-separated embeddings score below collapsed ones
        double[] classes = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2};
        double[][] separated = clustered(classes, 8, 3.0, 0.2, 3);
        double separatedScore = output.getLossFn().computeScore(column(classes), Nd4j.createFromArray(separated),
                IDENTITY, null, true);
        double collapsedScore = output.getLossFn().computeScore(column(classes),
                Nd4j.createFromArray(collapsed(separated)), IDENTITY, null, true);
        assertEquals(batchHard(separated, classes, 0.5), separatedScore, 1e-12);
        assertEquals(0.0, separatedScore, "every anchor's nearest negative is beyond its farthest positive + 0.5");
        assertEquals(0.5, collapsedScore, 1e-6, "all distances 0: every anchor costs the margin");

        // in a network, DL4J's score is the mean over anchors of the embeddings the layer computes
        MultiLayerNetwork net = network(output);
        INDArray features = Nd4j.createFromArray(gaussian(12, 32, 17));
        INDArray labels = column(classes);
        double[][] embeddings = rows(preOutput(net, features));
        double mean = batchHard(embeddings, classes, 0.5);
        assertTrue(mean > 0);
        assertEquals(mean, net.score(new DataSet(features, labels)), 1e-10);

        // masked rows leave every triplet; DL4J still divides by the whole minibatch
        INDArray mask = column(1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1);
        int[] keptRows = {0, 1, 2, 3, 4, 5, 6, 7, 8, 11};
        double[][] kept = new double[keptRows.length][];
        double[] keptClasses = new double[keptRows.length];
        for (int i = 0; i < keptRows.length; i++) {
            kept[i] = embeddings[keptRows[i]];
            keptClasses[i] = classes[keptRows[i]];
        }
        double keptMean = batchHard(kept, keptClasses, 0.5);
        assertEquals(10 * keptMean / 12, net.score(new DataSet(features, labels, null, mask)), 1e-10);
    }

    @Test
    void tripletConsecutive() {
        INDArray embeddings = Nd4j.createFromArray(gaussian(9, 4, 23));

        // region: tripletConsecutive
        // PyTorch's TripletMarginLoss(margin=1.0): rows 3i, 3i+1, 3i+2 are anchor, positive and negative
        LossTriplet loss = new LossTriplet();
        INDArray unused = Nd4j.zeros(embeddings.dataType(), embeddings.size(0), 1); // [3N, 1], values ignored
        double meanOverTriplets = loss.computeScore(unused, embeddings, Activation.IDENTITY.getActivationFunction(),
                null, true);
        // endregion

        double[][] x = rows(embeddings);
        assertEquals(meanOverConsecutiveTriplets(x, 1.0), meanOverTriplets, 1e-12);
        assertTrue(meanOverTriplets > 0);

        // each triplet's loss is written on its three rows
        INDArray perRow = loss.computeScoreArray(unused, embeddings, IDENTITY, null);
        for (int t = 0; t < 3; t++) {
            double value = Math.max(0, 1 + euclidean(x[3 * t], x[3 * t + 1]) - euclidean(x[3 * t], x[3 * t + 2]));
            for (int r = 0; r < 3; r++) {
                assertEquals(value, perRow.getDouble(3 * t + r, 0), 1e-12);
            }
        }

        // soft margin: log(1 + exp(d(a,p) - d(a,n))); swap: d(a,n) := min(d(a,n), d(p,n))
        double soft = 0;
        double swapped = 0;
        for (int t = 0; t < 3; t++) {
            double ap = euclidean(x[3 * t], x[3 * t + 1]);
            double an = euclidean(x[3 * t], x[3 * t + 2]);
            double pn = euclidean(x[3 * t + 1], x[3 * t + 2]);
            soft += Math.log1p(Math.exp(ap - an)) / 3;
            swapped += Math.max(0, 1 + ap - Math.min(an, pn)) / 3;
        }
        assertEquals(soft, LossTriplet.builder().softMargin().build().computeScore(unused, embeddings, IDENTITY, null,
                true), 1e-12);
        assertEquals(swapped, LossTriplet.builder().swap(true).build().computeScore(unused, embeddings, IDENTITY,
                null, true), 1e-12);
    }

    @Test
    void aBatchOfOneClassScoresZero() {
        double[] classes = {4, 4, 4, 4};
        for (Mining mining : new Mining[] {Mining.BATCH_ALL, Mining.BATCH_HARD, Mining.SEMI_HARD}) {
            assertEquals(0.0, LossTriplet.builder().mining(mining).build().computeScore(column(classes),
                    Nd4j.createFromArray(gaussian(4, 3, 1)), IDENTITY, null, true), mining.toString());
        }
    }
}
