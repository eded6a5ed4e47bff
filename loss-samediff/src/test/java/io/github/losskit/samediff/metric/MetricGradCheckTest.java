package io.github.losskit.samediff.metric;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.core.metric.Contrastive;
import io.github.losskit.core.metric.Distance;
import io.github.losskit.core.metric.Mining;
import io.github.losskit.core.metric.PairMode;
import io.github.losskit.core.metric.Triplet;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.validation.GradCheckUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SameDiff's own gradient check (central differences against autodiff) on a few metric graphs, one per mining or
 * pair mode, with each distance and penalty somewhere. The embeddings are the graph's only variable and the labels
 * a constant (GradCheckUtil fails on placeholders). Random inputs keep every hinge argument and every mining
 * comparison far from its switching point relative to the step 1e-6.
 */
class MetricGradCheckTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static Stream<Object> configs() {
        return Stream.of(
                new Contrastive(1.5, 0.2, PairMode.CONSECUTIVE, Distance.EUCLIDEAN),
                new Contrastive(0.6, 0.0, PairMode.ALL_IN_BATCH, Distance.COSINE),
                Triplet.builder().mining(Mining.CONSECUTIVE).swap(true).softMargin().build(),
                Triplet.builder().mining(Mining.BATCH_HARD).margin(1.5).swap(true).build(),
                Triplet.builder().mining(Mining.BATCH_ALL).margin(6.0).distance(Distance.SQUARED_EUCLIDEAN).build(),
                Triplet.builder().mining(Mining.SEMI_HARD).margin(0.6).distance(Distance.COSINE).swap(true).build());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void autodiffGradientMatchesFiniteDifferences(Object config) {
        INDArray embeddings = MetricInputs.embeddings(21, 6, 3);
        INDArray labels = config instanceof Contrastive c && c.pairs() == PairMode.CONSECUTIVE
                ? MetricInputs.pairSimilarities(22, 3)
                : MetricInputs.classIds(22, 3, 2);
        MetricGraph graph = new MetricGraph(config, labels, embeddings);
        boolean passed = GradCheckUtil.checkGradients(graph.sd, Map.of(), 1e-6, 1e-5, 1e-10,
                Boolean.getBoolean("gradcheck.print"), false);
        assertTrue(passed, config + ": GradCheckUtil failed (run with -Dgradcheck.print=true for details)");
    }
}
