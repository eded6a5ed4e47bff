package io.github.losskit.dl4j.metric;

import static io.github.losskit.testing.Messages.assertMessage;
import static io.github.losskit.testing.Approx.assertFinite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.core.metric.Distance;
import io.github.losskit.core.metric.Mining;
import io.github.losskit.core.metric.PairMode;
import io.github.losskit.dl4j.LossContrastive;
import io.github.losskit.dl4j.LossTriplet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Wrong arguments are refused with a message that names the loss, the argument and the shapes; degenerate but
 * legal batches (one class, a class with one example, duplicated or collapsed embeddings) give finite results.
 */
class MetricBadInputTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static final ILossFunction BATCH_HARD = LossTriplet.builder().mining(Mining.BATCH_HARD).build();
    private static final ILossFunction ALL_PAIRS = LossContrastive.builder().pairs(PairMode.ALL_IN_BATCH).build();

    private static INDArray column(double... values) {
        return Nd4j.createFromArray(values).reshape(values.length, 1);
    }

    private static INDArray embeddings(int rows) {
        return io.github.losskit.dl4j.testing.LossCase.gaussian(rows, 4, 3, 1.0, DataType.DOUBLE);
    }

    private static double score(ILossFunction loss, INDArray labels, INDArray preOutput, INDArray mask) {
        return loss.computeScore(labels, preOutput, new ActivationIdentity(), mask, false);
    }

    @Test
    void labelsWithAnotherNumberOfRows() {
        assertMessage(() -> score(BATCH_HARD, column(0, 1, 0, 1), embeddings(5), null), "LossTriplet", "labels",
                "4 rows", "preOutput", "[4, 1]", "[5, 4]");
    }

    @Test
    void consecutiveTripletsNeedAColumnOfLabelsAndAMultipleOfThreeRows() {
        assertMessage(() -> score(new LossTriplet(), Nd4j.zeros(6, 2), embeddings(6), null), "LossTriplet",
                "Mining.CONSECUTIVE", "[3N, 1]", "[6, 2]");
        assertMessage(() -> score(new LossTriplet(), Nd4j.zeros(7, 1), embeddings(7), null), "LossTriplet",
                "Mining.CONSECUTIVE", "[3N, 1]", "[7, 1]");
    }

    @Test
    void consecutivePairsNeedAnEvenNumberOfRowsOfAgreeingZeroOneLabels() {
        ILossFunction loss = new LossContrastive();
        assertMessage(() -> score(loss, column(1, 1, 0, 0, 1), embeddings(5), null), "LossContrastive",
                "PairMode.CONSECUTIVE", "even number of rows", "got 5", "[5, 1]");
        assertMessage(() -> score(loss, Nd4j.zeros(4, 3), embeddings(4), null), "LossContrastive", "[2N, 1]",
                "[4, 3]", "PairMode.ALL_IN_BATCH");
        assertMessage(() -> score(loss, column(1, 1, 0.5, 0.5), embeddings(4), null), "LossContrastive",
                "1 (similar) or 0 (dissimilar)", "found 0.5 in row 2");
        assertMessage(() -> score(loss, column(1, 1, 2, 2), embeddings(4), null), "LossContrastive", "[0.0, 1.0]");
        assertMessage(() -> score(loss, column(1, 1, 1, 0), embeddings(4), null), "LossContrastive",
                "same label on both rows", "rows 2 and 3", "1.0 and 0.0");
    }

    @Test
    void aPairThatIsPartlyMaskedMayDisagree() {
        ILossFunction loss = new LossContrastive();
        INDArray preOutput = embeddings(4);
        assertEquals(score(loss, column(1, 1), preOutput.getRows(0, 1), null),
                score(loss, column(1, 1, 1, 0), preOutput, column(1, 1, 1, 0)), 1e-12);
    }

    @Test
    void classIdsMustBeIntegersAndOneHotRowsOneHot() {
        for (ILossFunction loss : List.of(BATCH_HARD, ALL_PAIRS)) {
            String name = loss.getClass().getSimpleName();
            assertMessage(() -> score(loss, column(0, 1, 1.5, 0), embeddings(4), null), name,
                    "non-integer class id 1.5", "row 2", "[4, 1]");
            INDArray notOneHot = Nd4j.createFromArray(new double[][] {{1, 0}, {1, 1}, {0, 1}});
            assertMessage(() -> score(loss, notOneHot, embeddings(3), null), name, "one-hot", "row 1",
                    "[1.0, 1.0]", "[3, 2]");
            assertMessage(() -> score(loss, column(0, Double.NaN, 1, 1), embeddings(4), null), name, "NaN");
        }
    }

    @Test
    void masksMustBePerExampleZeroOrOne() {
        INDArray labels = column(0, 0, 1, 1);
        assertMessage(() -> score(BATCH_HARD, labels, embeddings(4), Nd4j.ones(4, 4)), "LossTriplet",
                "per-example mask of shape [4, 1]", "[4, 4]", "per-output masks are not supported");
        assertMessage(() -> score(BATCH_HARD, labels, embeddings(4), Nd4j.ones(3, 1)), "LossTriplet", "[4, 1]",
                "[3, 1]");
        assertMessage(() -> score(BATCH_HARD, labels, embeddings(4), column(1, 0.5, 1, 1)), "LossTriplet",
                "0 (drop the row) or 1 (keep it)");
    }

    @Test
    void otherArguments() {
        assertMessage(() -> score(BATCH_HARD, null, embeddings(4), null), "LossTriplet", "must not be null");
        assertMessage(() -> score(BATCH_HARD, column(0, 0, 1, 1), Nd4j.zeros(DataType.INT32, 4, 2), null),
                "LossTriplet", "floating point");
        assertMessage(() -> score(BATCH_HARD, column(0, 0, 1, 1), Nd4j.zeros(4), null), "LossTriplet", "preOutput",
                "2-D");
    }

    @Test
    void invalidParametersAreRefusedWhenBuilt() {
        assertMessage(() -> LossTriplet.builder().margin(-1).build(), "Triplet", "margin", ">= 0", "-1");
        assertMessage(() -> LossTriplet.builder().margin(Double.NaN).build(), "Triplet", "margin", "finite");
        assertMessage(() -> LossTriplet.builder().mining(null).build(), "Triplet", "mining");
        assertMessage(() -> LossTriplet.builder().distance(null).build(), "Triplet", "distance");
        assertMessage(() -> LossContrastive.builder().margin(-0.5).build(), "Contrastive", "margin", ">= 0");
        assertMessage(() -> LossContrastive.builder().positiveMargin(-0.5).build(), "Contrastive",
                "positiveMargin");
        assertMessage(() -> LossContrastive.builder().pairs(null).build(), "Contrastive", "PairMode");
    }

    static List<ILossFunction> minedLosses() {
        List<ILossFunction> losses = new ArrayList<>();
        for (Mining mining : List.of(Mining.BATCH_ALL, Mining.BATCH_HARD, Mining.SEMI_HARD)) {
            for (Distance distance : Distance.values()) {
                losses.add(LossTriplet.builder().mining(mining).distance(distance).build());
                losses.add(LossTriplet.builder().mining(mining).distance(distance).softMargin().swap(true).build());
            }
        }
        return losses;
    }

    static List<ILossFunction> everyLoss() {
        List<ILossFunction> losses = new ArrayList<>(minedLosses());
        for (Distance distance : Distance.values()) {
            losses.add(LossTriplet.builder().distance(distance).swap(true).build());
            losses.add(LossContrastive.builder().distance(distance).build());
            losses.add(LossContrastive.builder().distance(distance).pairs(PairMode.ALL_IN_BATCH).build());
        }
        return losses;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("minedLosses")
    void aBatchOfOneClassScoresZeroWithAZeroGradient(ILossFunction loss) {
        Pair<Double, INDArray> both = loss.computeGradientAndScore(column(2, 2, 2, 2, 2), embeddings(5),
                new ActivationIdentity(), null, false);
        assertEquals(0.0, both.getFirst());
        assertEquals(0.0, both.getSecond().norm1Number().doubleValue());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("minedLosses")
    void aClassWithOneExampleAnchorsNothing(ILossFunction loss) {
        INDArray labels = column(0, 0, 0, 1, 1, 1, 7);
        INDArray preOutput = embeddings(7);
        INDArray perRow = loss.computeScoreArray(labels, preOutput, new ActivationIdentity(), null);
        assertEquals(0.0, perRow.getDouble(6, 0), "the singleton's own row");
        assertFinite("gradient", loss.computeGradient(labels, preOutput, new ActivationIdentity(), null));
        assertTrue(perRow.sumNumber().doubleValue() > 0);
    }

    @Test
    void contrastiveOnOneClassOnlyPullsTogether() {
        INDArray preOutput = embeddings(4);
        Pair<Double, INDArray> both = ALL_PAIRS.computeGradientAndScore(column(3, 3, 3, 3), preOutput,
                new ActivationIdentity(), null, false);
        assertTrue(both.getFirst() > 0);
        assertFinite("gradient", both.getSecond());
    }

    /** Rows 0 and 1 equal (same class), rows 2 and 3 equal (different classes), and a zero row. */
    private static INDArray duplicated() {
        INDArray x = embeddings(9);
        x.getRow(1).assign(x.getRow(0));
        x.getRow(3).assign(x.getRow(2));
        x.getRow(8).assign(0.0);
        return x;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyLoss")
    void duplicatedAndZeroEmbeddingsGiveFiniteGradients(ILossFunction loss) {
        INDArray labels = loss instanceof LossContrastive c && c.getPairs() == PairMode.CONSECUTIVE
                ? column(1, 1, 0, 0, 1, 1, 0, 0) : column(0, 0, 1, 2, 0, 1, 2, 1, 2);
        INDArray preOutput = duplicated();
        if (labels.size(0) != preOutput.size(0)) {
            preOutput = preOutput.getRows(0, 1, 2, 3, 4, 5, 6, 8);
        }
        Pair<Double, INDArray> both = loss.computeGradientAndScore(labels, preOutput, new ActivationIdentity(), null,
                false);
        assertTrue(Double.isFinite(both.getFirst()), "score " + both.getFirst());
        assertFinite("gradient", both.getSecond());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyLoss")
    void collapsedEmbeddingsGiveFiniteResults(ILossFunction loss) {
        INDArray labels = loss instanceof LossContrastive c && c.getPairs() == PairMode.CONSECUTIVE
                ? column(1, 1, 0, 0, 1, 1, 0, 0, 1, 1) : column(0, 1, 2, 0, 1, 2, 0, 1, 2);
        INDArray preOutput = Nd4j.ones(labels.size(0), 4).muli(0.3);
        Pair<Double, INDArray> both = loss.computeGradientAndScore(labels, preOutput, new ActivationIdentity(), null,
                false);
        assertTrue(Double.isFinite(both.getFirst()), "score " + both.getFirst());
        assertFinite("gradient", both.getSecond());
    }

    @Test
    void collapsedEmbeddingsSitAtTheMargin() {
        INDArray labels = column(0, 1, 2, 0, 1, 2);
        double score = LossTriplet.builder().mining(Mining.BATCH_HARD).margin(0.7).build()
                .computeScore(labels, Nd4j.ones(6, 3), new ActivationIdentity(), null, true);
        assertEquals(0.7, score, 1e-12);
    }
}
