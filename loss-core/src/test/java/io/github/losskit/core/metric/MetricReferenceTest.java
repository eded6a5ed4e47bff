package io.github.losskit.core.metric;

import static io.github.losskit.testing.Approx.assertReferenceClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.losskit.core.LossEvaluator;
import io.github.losskit.core.LossResult;
import io.github.losskit.core.Need;
import io.github.losskit.testing.MetricReferenceLosses;
import io.github.losskit.testing.ReferenceCase;
import io.github.losskit.testing.ReferenceData;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The core metric losses against the PyTorch reference (metric.json) at 1e-9 relative, in double precision. */
class MetricReferenceTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static List<ReferenceCase> cases() {
        return ReferenceData.load("metric.json", null);
    }

    private static LossResult evaluate(ReferenceCase c, Need need) {
        return LossEvaluator.batch(c.name(), MetricReferenceLosses.of(c), c.labelsArray(), c.logitsArray(), null, need);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void scoreAndGradientMatchPyTorch(ReferenceCase c) {
        LossResult both = evaluate(c, Need.SCORE_AND_GRADIENT);
        assertReferenceClose(c.name() + " per row", c.perExampleColumn(), both.perExample());
        assertReferenceClose(c.name() + " gradient", c.gradientArray(), both.gradient());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void separateScoreAndGradientEqualTheJointEvaluation(ReferenceCase c) {
        assertReferenceClose(c.name() + " score only", c.perExampleColumn(), evaluate(c, Need.SCORE).perExample());
        assertReferenceClose(c.name() + " gradient only", c.gradientArray(), evaluate(c, Need.GRADIENT).gradient());
    }

    @Test
    void everyMiningPairModeDistanceAndPenaltyHasReferenceCases() {
        List<ReferenceCase> all = cases();
        for (Mining mining : Mining.values()) {
            assertEquals(true, all.stream().anyMatch(c -> mining.name().equals(param(c, "mining"))), mining.name());
        }
        for (PairMode pairs : PairMode.values()) {
            assertEquals(true, all.stream().anyMatch(c -> pairs.name().equals(param(c, "pairs"))), pairs.name());
        }
        for (Distance distance : Distance.values()) {
            for (String loss : List.of("triplet", "contrastive")) {
                assertEquals(true, all.stream().anyMatch(c -> c.loss().equals(loss)
                        && distance.name().equals(param(c, "distance"))), loss + " " + distance);
            }
        }
        for (TripletPenalty penalty : TripletPenalty.values()) {
            assertEquals(true, all.stream().anyMatch(c -> penalty.name().equals(param(c, "penalty"))),
                    penalty.name());
        }
    }

    private static String param(ReferenceCase c, String key) {
        Object v = c.params().get(key);
        return v == null ? null : ((String) v).toUpperCase();
    }
}
