package io.github.losskit.core.curves;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.losskit.core.margin.MarginFunction;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The tabulation API: closed forms, finite differences, and the shapes the loss lab plots. */
class LossCurvesTest {

    /** z values that stay 1e-3 away from the hinge kink at z = 1. */
    private static final double[] MARGINS = LossCurves.grid(-3.0005, 3.0005, 61);

    private static double closedFormDerivative(MarginFunction f, double z) {
        return switch (f) {
            case HINGE -> z < 1 ? -1 : 0;
            case SQUARED_HINGE -> z < 1 ? -2 * (1 - z) : 0;
            case EXPONENTIAL -> -Math.exp(-z);
            case LOGISTIC -> -1 / (1 + Math.exp(z));
        };
    }

    private static double closedFormValue(MarginFunction f, double z) {
        return switch (f) {
            case HINGE -> Math.max(0, 1 - z);
            case SQUARED_HINGE -> Math.pow(Math.max(0, 1 - z), 2);
            case EXPONENTIAL -> Math.exp(-z);
            case LOGISTIC -> Math.log1p(Math.exp(-z));
        };
    }

    @ParameterizedTest
    @EnumSource(MarginFunction.class)
    void marginCurvesEqualTheClosedFormsAndFiniteDifferences(MarginFunction f) {
        Curve curve = LossCurves.margin(f, MARGINS);
        assertEquals(MARGINS.length, curve.loss().length);
        for (int i = 0; i < MARGINS.length; i++) {
            double z = MARGINS[i];
            assertEquals(closedFormValue(f, z), curve.loss()[i], 1e-12 * Math.max(1, curve.loss()[i]), f + " at " + z);
            assertEquals(closedFormDerivative(f, z), curve.derivative()[i], 1e-12 * Math.max(1, Math.abs(z)),
                    f + "' at " + z);
            DoubleUnaryOperator value = x -> LossCurves.margin(f, new double[] {x}).loss()[0];
            double h = 1e-6;
            double numeric = (value.applyAsDouble(z + h) - value.applyAsDouble(z - h)) / (2 * h);
            assertEquals(numeric, curve.derivative()[i], 1e-6 * Math.max(1, Math.abs(numeric)), f + "' FD at " + z);
        }
    }

    @Test
    void everyMarginLossPenalisesTheWrongSideMoreThanTheRightSide() {
        for (MarginFunction f : MarginFunction.values()) {
            Curve curve = LossCurves.margin(f, new double[] {-2, 0, 2});
            assertTrue(curve.loss()[0] > curve.loss()[1] && curve.loss()[1] > curve.loss()[2], f.name());
            assertTrue(curve.derivative()[0] < 0, f + " pushes wrong-side margins up");
        }
    }

    @Test
    void binaryCrossEntropyCurveIsMinusLogPWithLogitSlopePMinusOne() {
        double[] p = LossCurves.grid(0.01, 0.99, 50);
        Curve curve = LossCurves.binaryCrossEntropy(p);
        for (int i = 0; i < p.length; i++) {
            assertEquals(-Math.log(p[i]), curve.loss()[i], 1e-12);
            assertEquals(p[i] - 1, curve.derivative()[i], 1e-12);
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.5, 1.0, 2.0, 5.0})
    void focalCurveIsTheModulatedCrossEntropyWithAFiniteDifferenceSlope(double gamma) {
        double[] p = LossCurves.grid(0.02, 0.98, 25);
        Curve curve = LossCurves.focal(gamma, p);
        for (int i = 0; i < p.length; i++) {
            assertEquals(-Math.pow(1 - p[i], gamma) * Math.log(p[i]), curve.loss()[i], 1e-12);
            double logit = Math.log(p[i] / (1 - p[i]));
            double h = 1e-6;
            DoubleUnaryOperator loss = x -> {
                double q = 1 / (1 + Math.exp(-x));
                return -Math.pow(1 - q, gamma) * Math.log(q);
            };
            double numeric = (loss.applyAsDouble(logit + h) - loss.applyAsDouble(logit - h)) / (2 * h);
            assertEquals(numeric, curve.derivative()[i], 1e-7);
        }
        // gamma > 0 only ever shrinks the loss of a prediction, and most where p is high
        Curve bce = LossCurves.binaryCrossEntropy(p);
        if (gamma > 0) {
            int last = p.length - 1;
            assertTrue(curve.loss()[last] / bce.loss()[last] < curve.loss()[0] / bce.loss()[0]);
        }
    }

    @Test
    void badGridsAndProbabilitiesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LossCurves.grid(1, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> LossCurves.grid(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> LossCurves.focal(2, new double[] {0.5, 1.0}));
        assertThrows(IllegalArgumentException.class, () -> LossCurves.binaryCrossEntropy(new double[] {0.0}));
    }
}
