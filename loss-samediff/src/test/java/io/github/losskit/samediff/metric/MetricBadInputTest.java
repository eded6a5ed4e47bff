package io.github.losskit.samediff.metric;

import static io.github.losskit.testing.Messages.assertMessage;

import io.github.losskit.core.metric.Contrastive;
import io.github.losskit.core.metric.Distance;
import io.github.losskit.core.metric.Mining;
import io.github.losskit.core.metric.PairMode;
import io.github.losskit.core.metric.Triplet;
import io.github.losskit.samediff.SDLosses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bad arguments are refused while the graph is built, where the graph knows the shapes, with a message naming the
 * builder, the argument and the shapes; constant labels get the core's label checks.
 */
class MetricBadInputTest {

    private static final Contrastive CONSECUTIVE_PAIRS = new Contrastive();
    private static final Contrastive ALL_PAIRS = new Contrastive(1.0, 0.0, PairMode.ALL_IN_BATCH, Distance.EUCLIDEAN);
    private static final Triplet CONSECUTIVE_TRIPLETS = Triplet.builder().build();
    private static final Triplet BATCH_HARD = Triplet.builder().mining(Mining.BATCH_HARD).build();

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private final SameDiff sd = SameDiff.create();
    private final SDLosses losses = new SDLosses(sd);

    private SDVariable embeddings(long rows) {
        return sd.var(Nd4j.rand(DataType.DOUBLE, rows, 4));
    }

    private SDVariable constant(double... values) {
        return sd.constant(Nd4j.createFromArray(values).reshape(values.length, 1));
    }

    @Test
    void oddRowsForConsecutivePairs() {
        SDVariable labels = sd.placeHolder("labels", DataType.DOUBLE, 5, 1);
        assertMessage(() -> losses.contrastive("l", labels, embeddings(5), CONSECUTIVE_PAIRS),
                "SDLosses.contrastive", "PairMode.CONSECUTIVE", "multiple of 2 rows; got 5", "labels shape [5, 1]",
                "embeddings shape [5, 4]");
        // known only from the embeddings
        SDVariable unknownRows = sd.placeHolder("unknown", DataType.DOUBLE, -1, 1);
        assertMessage(() -> losses.contrastive("l", unknownRows, embeddings(3), CONSECUTIVE_PAIRS),
                "SDLosses.contrastive", "got 3", "labels shape [-1, 1]");
    }

    @Test
    void rowsNotAMultipleOfThreeForConsecutiveTriplets() {
        assertMessage(() -> losses.triplet("l", constant(0, 0, 0, 0), embeddings(4), CONSECUTIVE_TRIPLETS),
                "SDLosses.triplet", "Mining.CONSECUTIVE", "multiple of 3 rows; got 4", "labels shape [4, 1]");
    }

    @Test
    void wrongLabelShapes() {
        SDVariable twoColumns = sd.constant(Nd4j.zeros(DataType.DOUBLE, 6, 2));
        assertMessage(() -> losses.contrastive("l", twoColumns, embeddings(6), CONSECUTIVE_PAIRS),
                "SDLosses.contrastive", "PairMode.CONSECUTIVE takes labels [minibatch, 1]", "labels shape [6, 2]");
        assertMessage(() -> losses.triplet("l", twoColumns, embeddings(6), CONSECUTIVE_TRIPLETS),
                "SDLosses.triplet", "Mining.CONSECUTIVE takes labels [minibatch, 1]", "labels shape [6, 2]");
        assertMessage(() -> losses.triplet("l", constant(0, 1, 0, 1, 1), embeddings(6), BATCH_HARD),
                "SDLosses.triplet", "labels have 5 rows but embeddings have 6", "labels shape [5, 1]",
                "embeddings shape [6, 4]");
        SDVariable rank3 = sd.constant(Nd4j.zeros(DataType.DOUBLE, 6, 1, 1));
        assertMessage(() -> losses.triplet("l", rank3, embeddings(6), BATCH_HARD), "SDLosses.triplet",
                "labels must be 2-D", "[6, 1, 1]");
        SDVariable vector = sd.var("v", Nd4j.rand(DataType.DOUBLE, 6));
        assertMessage(() -> losses.contrastive("l", constant(0, 1, 0, 1, 1, 0), vector, ALL_PAIRS),
                "SDLosses.contrastive", "embeddings must be 2-D", "[6]");
    }

    @Test
    void inBatchLabelsNeedAKnownNumberOfColumns() {
        SDVariable unknownColumns = sd.placeHolder("labels", DataType.DOUBLE, -1, -1);
        assertMessage(() -> losses.triplet("l", unknownColumns, embeddings(6), BATCH_HARD), "SDLosses.triplet",
                "Mining.BATCH_HARD", "[-1, 1] or [-1, K]", "labels shape [-1, -1]");
        assertMessage(() -> losses.contrastive("l", unknownColumns, embeddings(6), ALL_PAIRS),
                "SDLosses.contrastive", "PairMode.ALL_IN_BATCH", "labels shape [-1, -1]");
    }

    /** Constant labels are checked with the core's checks, whose messages name the builder. */
    @Test
    void constantLabelValuesGetTheCoresChecks() {
        assertMessage(() -> losses.contrastive("l", constant(1, 0, 0, 0), embeddings(4), CONSECUTIVE_PAIRS),
                "SDLosses.contrastive", "same label on both rows of a pair", "rows 0 and 1");
        assertMessage(() -> losses.contrastive("l", constant(1, 1, 0.5, 0.5), embeddings(4), CONSECUTIVE_PAIRS),
                "SDLosses.contrastive", "1 (similar) or 0 (dissimilar)");
        assertMessage(() -> losses.triplet("l", constant(0, 1.5, 1, 0), embeddings(4), BATCH_HARD),
                "SDLosses.triplet", "non-integer class id 1.5");
        SDVariable notOneHot = sd.constant(Nd4j.createFromArray(new double[][] {{1, 0}, {1, 1}, {0, 1}}));
        assertMessage(() -> losses.contrastive("l", notOneHot, embeddings(3), ALL_PAIRS), "SDLosses.contrastive",
                "one-hot rows", "row 1");
    }

    @Test
    void nullArgumentsAndIntegerEmbeddings() {
        assertMessage(() -> losses.triplet("l", null, embeddings(3), CONSECUTIVE_TRIPLETS), "SDLosses.triplet",
                "labels must not be null");
        assertMessage(() -> losses.triplet("l", constant(0, 0, 0), null, CONSECUTIVE_TRIPLETS), "SDLosses.triplet",
                "embeddings must not be null");
        assertMessage(() -> losses.contrastive("l", constant(0, 0), embeddings(2), null), "SDLosses.contrastive",
                "config must not be null");
        SDVariable integers = sd.constant(Nd4j.zeros(DataType.INT, 3, 2));
        assertMessage(() -> losses.triplet("l", constant(0, 0, 0), integers, CONSECUTIVE_TRIPLETS),
                "SDLosses.triplet", "embeddings must be floating point", "INT");
    }
}
