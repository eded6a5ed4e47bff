package io.github.losskit.samediff.metric;

import static io.github.losskit.testing.Approx.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.core.metric.Contrastive;
import io.github.losskit.core.metric.Distance;
import io.github.losskit.core.metric.Mining;
import io.github.losskit.core.metric.PairMode;
import io.github.losskit.core.metric.Triplet;
import io.github.losskit.core.metric.TripletPenalty;
import io.github.losskit.dl4j.LossContrastive;
import io.github.losskit.dl4j.LossTriplet;
import io.github.losskit.samediff.SDLosses;
import io.github.losskit.samediff.metric.MetricInputs.LabelForm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The SameDiff metric graphs against the DL4J adapters on random inputs (continuous, so no ties in the mining or
 * at the hinge), for every pair mode, mining, distance, penalty and swap: the graph's value is DL4J's
 * computeScore(average = false) / rows, the natural mean, and its autodiff gradient is DL4J's analytic gradient of
 * that total / rows, at 1e-9 relative in double precision.
 */
class MetricDl4jParityTest {

    private static final double RELATIVE = 1e-9;
    private static final double ABSOLUTE = 1e-12;
    private static final int CLASSES = 3;
    private static final int PER_CLASS = 4;
    private static final int DIMENSIONS = 5;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /** A margin on the scale of each distance for normal embeddings, so that hinges and bands are partly active. */
    static double margin(Distance distance) {
        return switch (distance) {
            case EUCLIDEAN -> 1.5;
            case SQUARED_EUCLIDEAN -> 6.0;
            case COSINE -> 0.6;
        };
    }

    static Stream<Arguments> contrastiveCases() {
        List<Arguments> cases = new ArrayList<>();
        long seed = 100;
        for (Distance distance : Distance.values()) {
            for (double positiveMargin : new double[] {0.0, 0.3}) {
                double scale = margin(distance);
                Contrastive consecutive = new Contrastive(scale, positiveMargin * scale, PairMode.CONSECUTIVE,
                        distance);
                cases.add(Arguments.of(consecutive, LabelForm.CLASS_IDS, seed++));
                for (LabelForm form : LabelForm.values()) {
                    cases.add(Arguments.of(new Contrastive(scale, positiveMargin * scale, PairMode.ALL_IN_BATCH,
                            distance), form, seed++));
                }
            }
        }
        return cases.stream();
    }

    static Stream<Arguments> tripletCases() {
        List<Arguments> cases = new ArrayList<>();
        long seed = 200;
        for (Mining mining : Mining.values()) {
            for (Distance distance : Distance.values()) {
                for (TripletPenalty penalty : TripletPenalty.values()) {
                    for (boolean swap : new boolean[] {false, true}) {
                        Triplet config = Triplet.builder().margin(margin(distance)).penalty(penalty).swap(swap)
                                .mining(mining).distance(distance).build();
                        if (mining == Mining.CONSECUTIVE) {
                            cases.add(Arguments.of(config, LabelForm.CLASS_IDS, seed++));
                        } else {
                            for (LabelForm form : LabelForm.values()) {
                                cases.add(Arguments.of(config, form, seed++));
                            }
                        }
                    }
                }
            }
        }
        return cases.stream();
    }

    static ILossFunction dl4j(Object config) {
        if (config instanceof Contrastive c) {
            return LossContrastive.builder().margin(c.margin()).positiveMargin(c.positiveMargin()).pairs(c.pairs())
                    .distance(c.distance()).build();
        }
        Triplet t = (Triplet) config;
        return LossTriplet.builder().margin(t.margin()).penalty(t.penalty()).swap(t.swap()).mining(t.mining())
                .distance(t.distance()).build();
    }

    /** Labels of the configuration's kind for a batch of CLASSES x PER_CLASS rows. */
    static INDArray labels(Object config, LabelForm form, long seed) {
        int rows = CLASSES * PER_CLASS;
        if (config instanceof Contrastive c && c.pairs() == PairMode.CONSECUTIVE) {
            return MetricInputs.pairSimilarities(seed, rows / 2);
        }
        if (config instanceof Triplet t && t.mining() == Mining.CONSECUTIVE) {
            return Nd4j.zeros(DataType.DOUBLE, rows, 1);
        }
        return MetricInputs.labels(form, MetricInputs.classIds(seed, CLASSES, PER_CLASS), CLASSES);
    }

    static void assertParity(Object config, INDArray labels, INDArray embeddings) {
        ILossFunction loss = dl4j(config);
        long rows = embeddings.size(0);
        double total = loss.computeScore(labels, embeddings.dup(), new ActivationIdentity(), null, false);
        INDArray totalGradient = loss.computeGradient(labels, embeddings.dup(), new ActivationIdentity(), null);

        MetricGraph.Result graph = MetricGraph.evaluate(config, labels, embeddings);

        assertEquals(total / rows, graph.value(), Math.max(ABSOLUTE, RELATIVE * Math.abs(total / rows)),
                config + ": value");
        assertClose(config + ": gradient", totalGradient.div(rows), graph.gradient(), RELATIVE, ABSOLUTE);
    }

    @ParameterizedTest(name = "{0}, {1}, seed {2}")
    @MethodSource("contrastiveCases")
    void contrastiveEqualsDl4j(Contrastive config, LabelForm form, long seed) {
        INDArray embeddings = MetricInputs.embeddings(seed, CLASSES * PER_CLASS, DIMENSIONS);
        assertParity(config, labels(config, form, seed), embeddings);
    }

    @ParameterizedTest(name = "{0}, {1}, seed {2}")
    @MethodSource("tripletCases")
    void tripletEqualsDl4j(Triplet config, LabelForm form, long seed) {
        INDArray embeddings = MetricInputs.embeddings(seed, CLASSES * PER_CLASS, DIMENSIONS);
        INDArray labels = labels(config, form, seed);
        // the comparison means something only if the loss and its gradient are not trivially 0
        double total = dl4j(config).computeScore(labels, embeddings.dup(), new ActivationIdentity(), null, false);
        assertTrue(total > 0, config + ": the inputs leave every triplet inactive; choose another margin");
        assertParity(config, labels, embeddings);
    }

    /**
     * Labels as a placeholder (the mining happens at run time) and embeddings computed by an op, whose shape the
     * graph does not know while it is built: the gradient reaches the weights that produced them.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("placeholderConfigs")
    void placeholderLabelsAndComputedEmbeddingsEqualDl4j(Object config) {
        long seed = 300;
        INDArray features = MetricInputs.embeddings(seed, CLASSES * PER_CLASS, 3);
        INDArray weights = MetricInputs.embeddings(seed + 1, 3, DIMENSIONS);
        INDArray labels = labels(config, LabelForm.CLASS_IDS, seed);

        SameDiff sd = SameDiff.create();
        SDVariable input = sd.placeHolder("input", DataType.DOUBLE, -1, 3);
        SDVariable labelInput = sd.placeHolder("labels", DataType.DOUBLE, -1, 1);
        SDVariable w = sd.var("w", weights.dup());
        SDVariable embeddings = input.mmul(w);
        MetricGraph.build(new SDLosses(sd), config, labelInput, embeddings);
        Map<String, INDArray> placeholders = Map.of("input", features, "labels", labels);
        var both = sd.calculateGradientsAndOutputs(placeholders, List.of(MetricGraph.LOSS), List.of("w"));

        INDArray e = features.mmul(weights);
        ILossFunction loss = dl4j(config);
        long rows = e.size(0);
        double total = loss.computeScore(labels, e.dup(), new ActivationIdentity(), null, false);
        INDArray dLdE = loss.computeGradient(labels, e.dup(), new ActivationIdentity(), null).div(rows);
        assertEquals(total / rows, both.getOutputs().get(MetricGraph.LOSS).getDouble(0),
                RELATIVE * Math.abs(total / rows), config + ": value");
        assertClose(config + ": weight gradient", features.transpose().mmul(dLdE), both.getGradients().get("w"),
                RELATIVE, ABSOLUTE);
    }

    static Stream<Object> placeholderConfigs() {
        return Stream.of(
                new Contrastive(1.5, 0.0, PairMode.CONSECUTIVE, Distance.EUCLIDEAN),
                new Contrastive(1.5, 0.2, PairMode.ALL_IN_BATCH, Distance.COSINE),
                Triplet.builder().mining(Mining.CONSECUTIVE).swap(true).build(),
                Triplet.builder().margin(1.5).mining(Mining.BATCH_HARD).build(),
                Triplet.builder().margin(1.5).mining(Mining.BATCH_ALL).swap(true).build(),
                Triplet.builder().margin(1.5).mining(Mining.SEMI_HARD).softMargin().build());
    }

    /** The same graph evaluated twice with other labels gives DL4J's value for each: nothing is mined once. */
    @Test
    void newLabelsInTheSameGraphAreMinedAgain() {
        Triplet config = Triplet.builder().margin(1.5).mining(Mining.BATCH_HARD).build();
        INDArray embeddings = MetricInputs.embeddings(400, CLASSES * PER_CLASS, DIMENSIONS);
        SameDiff sd = SameDiff.create();
        SDVariable labels = sd.placeHolder("labels", DataType.DOUBLE, -1, 1);
        new SDLosses(sd).triplet(MetricGraph.LOSS, labels, sd.var("e", embeddings.dup()), config);
        for (long seed = 401; seed < 404; seed++) {
            INDArray ids = MetricInputs.classIds(seed, CLASSES, PER_CLASS);
            double expected = dl4j(config).computeScore(ids, embeddings.dup(), new ActivationIdentity(), null, true);
            double actual = sd.output(Map.of("labels", ids), MetricGraph.LOSS).get(MetricGraph.LOSS).getDouble(0);
            assertEquals(expected, actual, RELATIVE * expected, "labels of seed " + seed);
        }
    }
}
