package io.github.losskit.samediff.metric;

import static io.github.losskit.testing.Approx.assertClose;
import static io.github.losskit.testing.Approx.assertFinite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.core.metric.Contrastive;
import io.github.losskit.core.metric.Distance;
import io.github.losskit.core.metric.Mining;
import io.github.losskit.core.metric.PairMode;
import io.github.losskit.core.metric.Triplet;
import io.github.losskit.core.metric.TripletPenalty;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import io.github.losskit.samediff.SDLosses;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The batch conventions at their edges: a batch of one class, anchors without a positive or a negative,
 * duplicated (zero-distance) and zero embeddings, tied distances, and the float data type.
 */
class MetricEdgeCasesTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static Stream<Triplet> minedTriplets() {
        List<Triplet> configs = new ArrayList<>();
        for (Mining mining : List.of(Mining.BATCH_ALL, Mining.BATCH_HARD, Mining.SEMI_HARD)) {
            for (Distance distance : Distance.values()) {
                for (TripletPenalty penalty : TripletPenalty.values()) {
                    configs.add(Triplet.builder().mining(mining).distance(distance).penalty(penalty).swap(true)
                            .build());
                }
            }
        }
        return configs.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("minedTriplets")
    void aBatchOfOneClassScoresZeroWithZeroGradient(Triplet config) {
        INDArray embeddings = MetricInputs.embeddings(1, 6, 4);
        INDArray oneClass = Nd4j.ones(DataType.DOUBLE, 6, 1).muli(2);
        MetricGraph.Result graph = MetricGraph.evaluate(config, oneClass, embeddings);
        assertEquals(0.0, graph.value(), config + ": no anchor has a negative");
        assertFinite(config + " gradient", graph.gradient());
        assertEquals(0.0, Transforms.abs(graph.gradient()).maxNumber().doubleValue(), config + ": gradient");
    }

    /** A singleton class: its row anchors nothing, which changes the divisor of the mean, as in DL4J. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("minedTriplets")
    void anAnchorWithoutPositiveAddsNothing(Triplet config) {
        INDArray embeddings = MetricInputs.embeddings(2, 7, 4);
        INDArray ids = Nd4j.createFromArray(0.0, 0, 1, 1, 0, 1, 5).reshape(7, 1);
        MetricGraph.Result graph = MetricGraph.evaluate(config, ids, embeddings);
        double dl4j = MetricDl4jParityTest.dl4j(config).computeScore(ids, embeddings.dup(), new ActivationIdentity(),
                null, true);
        assertEquals(dl4j, graph.value(), 1e-9 * Math.abs(dl4j) + 1e-15, config.toString());
        assertFinite(config + " gradient", graph.gradient());
    }

    static Stream<Object> everyLoss() {
        List<Object> configs = new ArrayList<>();
        for (Distance distance : Distance.values()) {
            configs.add(new Contrastive(1.0, 0.0, PairMode.CONSECUTIVE, distance));
            configs.add(new Contrastive(1.0, 0.1, PairMode.ALL_IN_BATCH, distance));
            for (Mining mining : Mining.values()) {
                configs.add(Triplet.builder().mining(mining).distance(distance).swap(true).build());
            }
        }
        return configs.stream();
    }

    /**
     * Duplicated rows (zero distances, ties in the mining) and a zero row: the value and the gradient equal DL4J's
     * (whose gradient at zero distance is the subgradient 0), so nothing is NaN. Small integers keep the distance
     * expansion exact, so that equal rows are at distance exactly 0 in both.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("everyLoss")
    void duplicatedAndZeroEmbeddingsAreFiniteAndAgreeWithDl4j(Object config) {
        INDArray embeddings = Nd4j.createFromArray(new double[][] {
                {1, 2, 0}, {1, 2, 0}, {0, 0, 0}, {2, -1, 1}, {2, -1, 1}, {1, 2, 0},
                {-1, 0, 2}, {0, 0, 0}, {-1, 0, 2}, {3, 1, -2}, {1, 2, 0}, {2, -1, 1}});
        INDArray labels = config instanceof Contrastive c && c.pairs() == PairMode.CONSECUTIVE
                ? Nd4j.createFromArray(1.0, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0).reshape(12, 1)
                : Nd4j.createFromArray(0.0, 0, 1, 1, 2, 0, 2, 1, 2, 1, 0, 2).reshape(12, 1);
        MetricGraph.Result graph = MetricGraph.evaluate(config, labels, embeddings);
        assertTrue(Double.isFinite(graph.value()), config + ": value " + graph.value());
        assertFinite(config + " gradient", graph.gradient());
        var dl4j = MetricDl4jParityTest.dl4j(config);
        double total = dl4j.computeScore(labels, embeddings.dup(), new ActivationIdentity(), null, false);
        INDArray gradient = dl4j.computeGradient(labels, embeddings.dup(), new ActivationIdentity(), null);
        assertEquals(total / 12, graph.value(), 1e-9 * Math.abs(total / 12) + 1e-15, config + ": value");
        assertClose(config + ": gradient", gradient.div(12), graph.gradient(), 1e-9, 1e-12);
    }

    @Test
    void collapsedEmbeddingsScoreTheMarginWithTheHinge() {
        INDArray collapsed = Nd4j.ones(DataType.DOUBLE, 6, 3);
        INDArray ids = Nd4j.createFromArray(0.0, 1, 0, 1, 0, 1).reshape(6, 1);
        for (Mining mining : List.of(Mining.BATCH_HARD, Mining.BATCH_ALL, Mining.SEMI_HARD)) {
            Triplet config = Triplet.builder().mining(mining).margin(0.7).build();
            MetricGraph.Result graph = MetricGraph.evaluate(config, ids, collapsed);
            assertEquals(0.7, graph.value(), 1e-12, mining + ": every distance is 0, every triplet costs the margin");
            assertFinite(mining + " gradient", graph.gradient());
        }
    }

    /**
     * One row (the last, partial batch of an epoch): no pair, no triplet, mean 0 (not 0 / 0), finite gradient. Its
     * [1, 1] matrices are where ND4J's expandDims and matmul backward pass fail.
     */
    @Test
    void aSingleRowHasNoPairAndScoresZero() {
        INDArray row = MetricInputs.embeddings(3, 1, 4);
        INDArray id = Nd4j.zeros(DataType.DOUBLE, 1, 1);
        for (Object config : List.of(new Contrastive(1.0, 0.0, PairMode.ALL_IN_BATCH, Distance.EUCLIDEAN),
                Triplet.builder().mining(Mining.BATCH_HARD).swap(true).build(),
                Triplet.builder().mining(Mining.BATCH_ALL).distance(Distance.COSINE).swap(true).build(),
                Triplet.builder().mining(Mining.SEMI_HARD).swap(true).softMargin().build())) {
            MetricGraph.Result graph = MetricGraph.evaluate(config, id, row);
            assertEquals(0.0, graph.value(), config.toString());
            assertFinite(config + " gradient", graph.gradient());
        }
    }

    /**
     * Shapes with a dimension of 1, where ND4J's reductions and SameDiff's slicing have failed before: one-dimensional
     * embeddings, and a single pair or triplet (a leading dimension of 1 after grouping).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("everyLoss")
    void oneDimensionalEmbeddingsAndASingleGroupAgreeWithDl4j(Object config) {
        boolean consecutivePairs = config instanceof Contrastive c && c.pairs() == PairMode.CONSECUTIVE;
        boolean consecutiveTriplets = config instanceof Triplet t && t.mining() == Mining.CONSECUTIVE;
        INDArray labels = consecutivePairs ? MetricInputs.pairSimilarities(6, 6)
                : consecutiveTriplets ? Nd4j.zeros(DataType.DOUBLE, 12, 1) : MetricInputs.classIds(6, 3, 4);
        assertAgreesWithDl4j(config + ", D = 1", config, labels, MetricInputs.embeddings(6, 12, 1));
        if (consecutivePairs || consecutiveTriplets) {
            int rows = consecutivePairs ? 2 : 3;
            INDArray one = consecutivePairs ? Nd4j.createFromArray(0.0, 0.0).reshape(2, 1)
                    : Nd4j.zeros(DataType.DOUBLE, 3, 1);
            assertAgreesWithDl4j(config + ", one group", config, one, MetricInputs.embeddings(7, rows, 3).muli(0.3));
        }
    }

    private static void assertAgreesWithDl4j(String what, Object config, INDArray labels, INDArray embeddings) {
        MetricGraph.Result graph = MetricGraph.evaluate(config, labels, embeddings);
        var dl4j = MetricDl4jParityTest.dl4j(config);
        long rows = embeddings.size(0);
        double total = dl4j.computeScore(labels, embeddings.dup(), new ActivationIdentity(), null, false);
        INDArray gradient = dl4j.computeGradient(labels, embeddings.dup(), new ActivationIdentity(), null);
        assertEquals(total / rows, graph.value(), 1e-9 * Math.abs(total / rows) + 1e-15, what + ": value");
        assertClose(what + ": gradient", gradient.div(rows), graph.gradient(), 1e-9, 1e-12);
    }

    /** In float the graph computes in float, and agrees with DL4J in float to float precision. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("everyLoss")
    void floatEmbeddingsGiveDl4jsFloatValue(Object config) {
        INDArray embeddings = MetricInputs.embeddings(4, 12, 5).castTo(DataType.FLOAT);
        INDArray labels = (config instanceof Contrastive c && c.pairs() == PairMode.CONSECUTIVE
                ? MetricInputs.pairSimilarities(4, 6) : MetricInputs.classIds(4, 3, 4)).castTo(DataType.FLOAT);
        MetricGraph.Result graph = MetricGraph.evaluate(config, labels, embeddings);
        assertEquals(DataType.FLOAT, graph.gradient().dataType());
        double dl4j = MetricDl4jParityTest.dl4j(config).computeScore(labels, embeddings.dup(),
                new ActivationIdentity(), null, true);
        assertEquals(dl4j, graph.value(), 1e-5 * Math.max(1, Math.abs(dl4j)), config.toString());
    }

    /**
     * The graph's constants (selection masks, index ranges, margins) are made outside any workspace, so a graph
     * built inside one (a layer defining its graph during fit) keeps them when the workspace's memory is reused.
     */
    @Test
    @SuppressWarnings("try") // the workspaces are entered for their effect on allocation
    void constantsSurviveAGraphBuiltInsideAWorkspace() {
        INDArray embeddings = MetricInputs.embeddings(5, 12, 4);
        INDArray ids = MetricInputs.classIds(5, 3, 4);
        WorkspaceConfiguration workspace = WorkspaceConfiguration.builder().initialSize(1 << 20).build();
        List<Object> configs = List.of(new Contrastive(1.0, 0.0, PairMode.CONSECUTIVE, Distance.COSINE),
                Triplet.builder().mining(Mining.SEMI_HARD).margin(1.5).swap(true).build());
        for (Object config : configs) {
            INDArray labels = config instanceof Contrastive ? MetricInputs.pairSimilarities(5, 6) : ids;
            double expected = MetricGraph.evaluate(config, labels, embeddings).value();
            SameDiff sd = SameDiff.create();
            var labelsConstant = sd.constant(labels);
            var embeddingsConstant = sd.constant(embeddings);
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(workspace, "MetricTest")) {
                MetricGraph.build(new SDLosses(sd), config, labelsConstant, embeddingsConstant);
            }
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(workspace, "MetricTest")) {
                Nd4j.valueArrayOf(new long[] {1 << 15}, Double.NaN);
                double actual = sd.output(Map.of(), MetricGraph.LOSS).get(MetricGraph.LOSS).getDouble(0);
                assertEquals(expected, actual, 1e-12, config.toString());
            }
        }
    }
}
