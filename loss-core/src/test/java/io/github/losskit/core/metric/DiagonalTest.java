package io.github.losskit.core.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The diagonal is set through a strided view for c-ordered matrices and through a mask otherwise. */
class DiagonalTest {

    @ParameterizedTest(name = "order {0}")
    @ValueSource(chars = {'c', 'f'})
    void setsTheDiagonalAndNothingElse(char order) {
        INDArray original = Nd4j.rand(DataType.DOUBLE, 5, 5).addi(1.0);
        INDArray square = original.dup(order);
        INDArray result = PairwiseDistances.setDiagonal(square, 7.5);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                double expected = i == j ? 7.5 : original.getDouble(i, j);
                assertEquals(expected, result.getDouble(i, j), 0.0, "(" + i + ", " + j + ")");
                assertEquals(expected, square.getDouble(i, j), 0.0, "in place at (" + i + ", " + j + ")");
            }
        }
    }
}
