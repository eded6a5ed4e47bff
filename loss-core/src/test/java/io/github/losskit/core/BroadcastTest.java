package io.github.losskit.core;

import static io.github.losskit.testing.Approx.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.BiFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The broadcasting helpers agree with ND4J's column- and row-vector ops, in the matrix's data type, write
 * where they are told, and leave their inputs alone.
 */
class BroadcastTest {

    private interface Into {
        INDArray apply(INDArray x, INDArray vector, INDArray out);
    }

    private static void check(INDArray x, INDArray vector, Into broadcast,
            BiFunction<INDArray, INDArray, INDArray> legacy, String what) {
        INDArray before = x.dup();
        INDArray expected = legacy.apply(x.dup(), vector);
        INDArray fresh = broadcast.apply(x, vector, null);
        assertClose(what + " into a new array", expected, fresh, 0, 0);
        assertEquals(x.dataType(), fresh.dataType(), what);
        INDArray out = Nd4j.zeros(x.dataType(), x.shape());
        assertSame(out, broadcast.apply(x, vector, out), what + " returns the given output");
        assertClose(what + " into a given array", expected, out, 0, 0);
        assertClose(what + " leaves its input", before, x, 0, 0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"FLOAT", "DOUBLE"})
    void agreesWithTheColumnAndRowVectorOps(String typeName) {
        DataType type = DataType.valueOf(typeName);
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(type, 7, 5);
        INDArray column = Nd4j.rand(type, 7, 1).addi(0.5);
        INDArray row = Nd4j.rand(type, 1, 5).addi(0.5);
        check(x, column, Broadcast::mul, INDArray::muliColumnVector, "mul column");
        check(x, column, Broadcast::div, INDArray::diviColumnVector, "div column");
        check(x, column, Broadcast::sub, INDArray::subiColumnVector, "sub column");
        check(x, column, Broadcast::add, INDArray::addiColumnVector, "add column");
        check(x, row, Broadcast::mul, INDArray::muliRowVector, "mul row");
        check(x, row, Broadcast::div, INDArray::diviRowVector, "div row");
        check(x, row, Broadcast::sub, INDArray::subiRowVector, "sub row");
        check(x, row, Broadcast::add, INDArray::addiRowVector, "add row");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mul", "div", "sub", "add"})
    void refusesToWriteOverItsInput(String op) {
        INDArray x = Nd4j.ones(DataType.FLOAT, 3, 2);
        INDArray column = Nd4j.ones(DataType.FLOAT, 3, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            switch (op) {
                case "mul" -> Broadcast.mul(x, column, x);
                case "div" -> Broadcast.div(x, column, x);
                case "sub" -> Broadcast.sub(x, column, x);
                default -> Broadcast.add(x, column, x);
            }
        });
        assertTrue(e.getMessage().contains("must not be its input"), e.getMessage());
    }
}
