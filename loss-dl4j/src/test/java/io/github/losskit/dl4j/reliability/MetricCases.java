package io.github.losskit.dl4j.reliability;

import io.github.losskit.dl4j.metric.MetricCase;
import io.github.losskit.dl4j.metric.MetricCatalog;
import java.util.List;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The configurations of {@link MetricCatalog} with what the reliability properties need on top: a batch size
 * for any requested size. Reading the catalog itself means a mode added there is covered here too.
 */
final class MetricCases {

    private MetricCases() {
    }

    /** One catalog entry; {@code group} is 2 (consecutive pairs), 3 (consecutive triplets) or 0 (mined batch). */
    record Metric(MetricCase metricCase) {

        String name() {
            return metricCase.name();
        }

        int group() {
            return metricCase.group();
        }

        ILossFunction newLoss() {
            return metricCase.newLoss();
        }

        IActivation newActivation() {
            return metricCase.newActivation();
        }

        boolean minesTheBatch() {
            return metricCase.minesTheBatch();
        }

        /** A batch size this case accepts, from any size >= 1: a multiple of the group. */
        int rows(int size) {
            int group = group();
            return group == 0 ? size : group * ((size + group - 1) / group);
        }

        INDArray labels(int rows, long seed, DataType type) {
            return metricCase.labels(rows, seed, type);
        }

        /** The catalog's pre-activations for these labels (class clusters when mining, Gaussian otherwise). */
        INDArray preOutput(INDArray labels, long seed, DataType type) {
            return metricCase.preOutput(labels, seed, type);
        }

        @Override
        public String toString() {
            return name();
        }
    }

    static List<Metric> all() {
        return MetricCatalog.all().stream().map(Metric::new).toList();
    }
}
