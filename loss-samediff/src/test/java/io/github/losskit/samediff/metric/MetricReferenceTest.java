package io.github.losskit.samediff.metric;

import static io.github.losskit.testing.Approx.assertReferenceClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.losskit.testing.Approx;
import io.github.losskit.testing.MetricReferenceLosses;
import io.github.losskit.testing.ReferenceCase;
import io.github.losskit.testing.ReferenceData;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The SameDiff metric graphs against PyTorch (loss-core's reference/metric.json, tools/reference/generate_metric.py)
 * at 1e-9 relative. The reference holds DL4J's per-row values, whose sum is rows x the mean, and the gradient of
 * that sum; the graph returns the mean, so its value and gradient are compared after multiplying by the rows.
 */
class MetricReferenceTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static List<ReferenceCase> cases() {
        return ReferenceData.load("metric.json", null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void meanAndGradientMatchPyTorch(ReferenceCase c) {
        INDArray labels = c.labelsArray();
        INDArray embeddings = c.logitsArray();
        long rows = embeddings.size(0);
        double total = c.perExampleColumn().sumNumber().doubleValue();

        MetricGraph.Result graph = MetricGraph.evaluate(MetricReferenceLosses.of(c), labels, embeddings);

        assertEquals(total, graph.value() * rows, Math.max(Approx.REFERENCE_ABSOLUTE,
                Approx.REFERENCE_RELATIVE * Math.abs(total)), c + ": rows x mean");
        assertReferenceClose(c + ": gradient of rows x mean", c.gradientArray(), graph.gradient().mul(rows));
    }
}
