package io.github.losskit.dl4j.metric;

import static io.github.losskit.testing.Approx.assertReferenceClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.losskit.core.metric.Distance;
import io.github.losskit.core.metric.Mining;
import io.github.losskit.core.metric.PairMode;
import io.github.losskit.core.metric.TripletPenalty;
import io.github.losskit.dl4j.LossContrastive;
import io.github.losskit.dl4j.LossTriplet;
import io.github.losskit.testing.ReferenceCase;
import io.github.losskit.testing.ReferenceData;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** LossTriplet and LossContrastive against PyTorch (metric.json) at 1e-9 relative, through every entry point. */
class MetricDl4jReferenceTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static List<ReferenceCase> cases() {
        return ReferenceData.load("metric.json", null);
    }

    /** The DL4J loss a reference case describes (see tools/reference/generate_metric.py). */
    static ILossFunction lossOf(ReferenceCase c) {
        Distance distance = Distance.valueOf(text(c, "distance"));
        return switch (c.loss()) {
            case "triplet" -> LossTriplet.builder().margin(c.number("margin"))
                    .penalty(TripletPenalty.valueOf(text(c, "penalty"))).swap((Boolean) c.params().get("swap"))
                    .mining(Mining.valueOf(text(c, "mining"))).distance(distance).build();
            case "contrastive" -> LossContrastive.builder().margin(c.number("margin"))
                    .positiveMargin(c.number("positive_margin")).pairs(PairMode.valueOf(text(c, "pairs")))
                    .distance(distance).build();
            default -> throw new IllegalArgumentException(c.loss());
        };
    }

    private static String text(ReferenceCase c, String key) {
        return ((String) c.params().get(key)).toUpperCase();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyEntryPointMatchesPyTorch(ReferenceCase c) {
        ILossFunction loss = lossOf(c);
        INDArray labels = c.labelsArray();
        INDArray embeddings = c.logitsArray();
        double total = c.perExampleColumn().sumNumber().doubleValue();
        long rows = labels.size(0);

        assertReferenceClose("score array", c.perExampleColumn(),
                loss.computeScoreArray(labels, embeddings, new ActivationIdentity(), null));
        assertReferenceClose("gradient", c.gradientArray(),
                loss.computeGradient(labels, embeddings, new ActivationIdentity(), null));
        assertEquals(total, loss.computeScore(labels, embeddings, new ActivationIdentity(), null, false),
                1e-9 * total);
        Pair<Double, INDArray> both = loss.computeGradientAndScore(labels, embeddings, new ActivationIdentity(), null,
                true);
        assertEquals(total / rows, both.getFirst(), 1e-9 * total / rows);
        assertReferenceClose("joint gradient", c.gradientArray(), both.getSecond());
    }
}
