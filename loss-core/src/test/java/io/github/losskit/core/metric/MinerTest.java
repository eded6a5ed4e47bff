package io.github.losskit.core.metric;

import static io.github.losskit.testing.Approx.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.losskit.core.LossEvaluator;
import io.github.losskit.core.LossResult;
import io.github.losskit.core.Need;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mining and averaging on a hand-checked batch of four points on a line, x = (0, 0.5, 2.1, 1.2) with classes
 * (0, 0, 1, 1), so that every distance is a difference: d01 = 0.5, d02 = 2.1, d03 = 1.2, d12 = 1.6, d13 = 0.7,
 * d23 = 0.9. Anchors 0 and 1 have the positive at 0.5, anchors 2 and 3 at 0.9.
 */
class MinerTest {

    private static final INDArray X = Nd4j.createFromArray(new double[][] {{0}, {0.5}, {2.1}, {1.2}});
    private static final INDArray CLASSES = Nd4j.createFromArray(new double[][] {{0}, {0}, {1}, {1}});

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static INDArray perRow(Mining mining, double margin) {
        Triplet loss = Triplet.builder().mining(mining).margin(margin).build();
        return LossEvaluator.batch("test", loss, CLASSES, X, null, Need.SCORE).perExample();
    }

    private static INDArray column(double... values) {
        return Nd4j.createFromArray(values).reshape(values.length, 1);
    }

    @Test
    void batchHardTakesTheFarthestPositiveAndTheNearestNegative() {
        // anchors' nearest negatives: 3 (1.2), 3 (0.7), 1 (1.6), 1 (0.7); hinge 1 + d(a,p) - d(a,n); 4 anchors
        assertClose("per row", column(0.3, 0.8, 0.3, 1.2), perRow(Mining.BATCH_HARD, 1.0), 1e-12, 1e-12);
    }

    @Test
    void batchAllAveragesOverTheTripletsWithPositiveLoss() {
        // active triplets (a, p, n): (0,1,3) 0.3, (1,0,3) 0.8, (2,3,1) 0.3, (3,2,0) 0.7, (3,2,1) 1.2; three
        // more are inactive. The mean 3.3 / 5 times 4 rows, attributed to the anchors.
        assertClose("per row", column(0.3, 0.8, 0.3, 1.9).muli(4.0 / 5), perRow(Mining.BATCH_ALL, 1.0), 1e-12,
                1e-12);
    }

    @Test
    void semiHardTakesTheNearestNegativeFartherThanThePositive() {
        // margin 1: the bands (0.5, 1.5), (0.5, 1.5), (0.9, 1.9), (0.9, 1.9) hold negatives 3, 3, 1 and 0;
        // anchor 3 takes negative 0 at 1.2, not the harder negative 1 at 0.7 that batch-hard takes
        assertClose("per row", column(0.3, 0.8, 0.3, 0.7), perRow(Mining.SEMI_HARD, 1.0), 1e-12, 1e-12);
    }

    @Test
    void semiHardFallsBackToTheNearestNegative() {
        // margin 0.25: only anchor 1 has a negative in its band (3 at 0.7 in (0.5, 0.75)); the others take their
        // nearest negative: 3 (1.2, inactive), 1 (1.6, inactive) and 1 (0.7, closer than the positive: 0.45)
        assertClose("per row", column(0, 0.05, 0, 0.45), perRow(Mining.SEMI_HARD, 0.25), 1e-12, 1e-12);
    }

    @Test
    void contrastiveOnTheSameBatch() {
        Contrastive consecutive = new Contrastive(1.0, 0.0, PairMode.CONSECUTIVE, Distance.EUCLIDEAN);
        // pair (0, 0.5) similar: 0.5^2; pair (2.1, 1.2) dissimilar at 0.9: (1 - 0.9)^2
        assertClose("consecutive", column(0.25, 0.25, 0.01, 0.01), LossEvaluator.batch("test", consecutive,
                column(1, 1, 0, 0), X, null, Need.SCORE).perExample(), 1e-12, 1e-12);
        // all six pairs: similar 0.25 (0,1) and 0.81 (2,3); dissimilar inside the margin only (1,3): 0.09.
        // Row i gets 4 rows / 6 pairs x half its pairs' losses.
        Contrastive allPairs = new Contrastive(1.0, 0.0, PairMode.ALL_IN_BATCH, Distance.EUCLIDEAN);
        assertClose("all in batch", column(0.25, 0.34, 0.81, 0.90).muli(4.0 / 6 / 2),
                LossEvaluator.batch("test", allPairs, CLASSES, X, null, Need.SCORE).perExample(), 1e-12, 1e-12);
    }

    @ParameterizedTest
    @EnumSource(value = Mining.class, names = {"BATCH_ALL", "SEMI_HARD"})
    void chunksOfAnchorsGiveTheSameResultAsOneChunk(Mining mining) {
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 12, 3);
        INDArray classes = Nd4j.createFromArray(new double[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 3, 3, 0}).reshape(12, 1);
        INDArray kept = Nd4j.ones(12, 1);
        kept.putScalar(4, 0, 0.0);
        InBatchPairs pairs = InBatchPairs.of(classes, kept);
        INDArray distances = Distance.EUCLIDEAN.pairwise(x).values();
        for (TripletRule rule : List.of(new TripletRule(0.8, TripletPenalty.HINGE, false),
                new TripletRule(0.8, TripletPenalty.SOFT_MARGIN, true))) {
            MinedTriplets whole = TripletMiner.of(mining).mine(distances, pairs, rule, Need.SCORE_AND_GRADIENT);
            for (long elements : List.of(1L, 144L * 5)) {
                MinedTriplets chunked = TripletMiner.of(mining, elements).mine(distances, pairs, rule,
                        Need.SCORE_AND_GRADIENT);
                assertEquals(whole.valid(), chunked.valid());
                assertEquals(whole.active(), chunked.active());
                assertClose("per anchor", whole.perAnchor(), chunked.perAnchor(), 1e-14, 1e-14);
                assertClose("sensitivities", whole.distanceSensitivities(), chunked.distanceSensitivities(), 1e-14,
                        1e-14);
            }
        }
    }

    @Test
    void theChunkSizeBoundsTheWorkingSet() {
        assertEquals(12, TripletMiner.chunkSize(12, TripletMiner.CHUNK_ELEMENTS));
        assertEquals(64, TripletMiner.chunkSize(256, TripletMiner.CHUNK_ELEMENTS));
        assertEquals(1, TripletMiner.chunkSize(4096, TripletMiner.CHUNK_ELEMENTS));
    }

    @Test
    void maskedRowsTakePartInNothing() {
        INDArray mask = column(1, 1, 1, 0);
        Triplet loss = Triplet.builder().mining(Mining.BATCH_HARD).build();
        LossResult masked = LossEvaluator.batch("test", loss, CLASSES, X, mask, Need.SCORE_AND_GRADIENT);
        // anchor 2 loses its only positive; anchors 0 and 1 keep only negative 2, at 2.1 and 1.6: inactive
        assertClose("per row", column(0, 0, 0, 0), masked.perExample(), 0, 0);
        assertEquals(0.0, masked.gradient().getRow(3).norm1Number().doubleValue());
        Triplet soft = Triplet.builder().mining(Mining.BATCH_HARD).softMargin().build();
        LossResult softMasked = LossEvaluator.batch("test", soft, CLASSES, X, mask, Need.SCORE);
        double anchor0 = Math.log1p(Math.exp(0.5 - 2.1));
        double anchor1 = Math.log1p(Math.exp(0.5 - 1.6));
        // 3 kept rows, 2 valid anchors
        assertClose("soft", column(anchor0, anchor1, 0, 0).muli(3.0 / 2), softMasked.perExample(), 1e-12, 1e-15);
    }
}
