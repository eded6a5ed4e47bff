package io.github.losskit.samediff.metric;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Reproducible random embeddings and labels for the metric losses, in double precision. */
final class MetricInputs {

    /** How in-batch labels are given. */
    enum LabelForm {
        CLASS_IDS,
        ONE_HOT
    }

    private MetricInputs() {
    }

    /** Normal embeddings [rows, dimensions]: continuous, so distances and hinge arguments have no ties. */
    static INDArray embeddings(long seed, int rows, int dimensions) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, rows, dimensions);
    }

    /** Class ids [rows, 1] with {@code perClass} rows of each class, in a random order. */
    static INDArray classIds(long seed, int classes, int perClass) {
        List<Integer> ids = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            for (int k = 0; k < perClass; k++) {
                ids.add(c);
            }
        }
        Collections.shuffle(ids, new Random(seed));
        return Nd4j.createFromArray(ids.stream().mapToDouble(Integer::doubleValue).toArray())
                .reshape(ids.size(), 1);
    }

    /** One-hot rows [rows, classes] of class ids [rows, 1]. */
    static INDArray oneHot(INDArray classIds, int classes) {
        INDArray out = Nd4j.zeros(DataType.DOUBLE, classIds.size(0), classes);
        for (int i = 0; i < classIds.size(0); i++) {
            out.putScalar(i, (int) classIds.getDouble(i), 1.0);
        }
        return out;
    }

    static INDArray labels(LabelForm form, INDArray classIds, int classes) {
        return form == LabelForm.CLASS_IDS ? classIds : oneHot(classIds, classes);
    }

    /** Pair similarities [2 pairs, 1]: a random 0/1 per pair, on both of its rows; both kinds occur. */
    static INDArray pairSimilarities(long seed, int pairs) {
        Random random = new Random(seed);
        double[] values = new double[2 * pairs];
        for (int i = 0; i < pairs; i++) {
            double similar = i < 2 ? i : random.nextInt(2);
            values[2 * i] = similar;
            values[2 * i + 1] = similar;
        }
        return Nd4j.createFromArray(values).reshape(2L * pairs, 1);
    }
}
