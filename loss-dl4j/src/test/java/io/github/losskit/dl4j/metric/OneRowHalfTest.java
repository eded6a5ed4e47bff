package io.github.losskit.dl4j.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * A minibatch of one row has no pair to compare: every mined mode scores 0 with a zero gradient in every data
 * type. (In float16 the pair products of such a batch are dot products, which ND4J's CPU backend lacks.)
 */
class OneRowHalfTest {

    static List<MetricCase> minedCases() {
        return MetricCatalog.all().stream().filter(MetricCase::minesTheBatch).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("minedCases")
    void oneRowScoresZeroInEveryType(MetricCase c) {
        for (DataType type : new DataType[] {DataType.HALF, DataType.FLOAT, DataType.DOUBLE}) {
            INDArray labels = c.labels(9, 3, type).getRows(0);
            INDArray preOutput = c.preOutput(c.labels(9, 3, type), 4, type).getRows(0);
            ILossFunction loss = c.newLoss();
            var result = loss.computeGradientAndScore(labels, preOutput, c.newActivation(), null, false);
            assertEquals(0.0, result.getFirst(), 0.0, type + " score");
            assertEquals(0.0, result.getSecond().amaxNumber().doubleValue(), 0.0, type + " gradient");
            assertEquals(type, result.getSecond().dataType(), "gradient type");
        }
    }
}
