package io.github.losskit.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * How many native (JavaCPP) pointers one {@code computeGradientAndScore} creates inside the fit workspace, for
 * every per-output loss candidate. At small shapes this count, not the arithmetic, sets the time of a call:
 * each new array, in a workspace too, takes pointers that JavaCPP checks against its physical-memory limit
 * when they are made and that the garbage collector frees later, while an op that writes into an existing
 * array takes none. Unlike a time at 256x10, which moves by a factor of two between runs on a busy machine,
 * the count is the same in every run, so it shows what a change to a loss did.
 */
public final class NativeArrayCensus {

    /** One candidate's pointers per call, and its baseline's name ({@code null} for a baseline). */
    public record Count(String benchmark, String candidate, String baseline, long pointers) {
    }

    /** The per-output loss benchmarks whose candidates are counted (in the order of their names). */
    private static final Map<String, LossCandidate[]> BENCHMARKS = Map.of(
            "SoftmaxLossBenchmark", SoftmaxLossBenchmark.Candidate.values(),
            "SigmoidLossBenchmark", SigmoidLossBenchmark.Candidate.values(),
            "RegressionLossBenchmark", RegressionLossBenchmark.Candidate.values(),
            "MarginLossBenchmark", MarginLossBenchmark.Candidate.values());

    private static final int WARM_UP_CALLS = 20;
    private static final int COUNTED_CALLS = 15;

    private NativeArrayCensus() {
    }

    /** Counts every candidate of the per-output loss benchmarks at {@code shape} ("rowsxcolumns"). */
    public static List<Count> take(String shape) {
        int[] size = Inputs.shape(shape);
        List<Count> counts = new ArrayList<>();
        BENCHMARKS.keySet().stream().sorted().forEach(benchmark -> {
            for (LossCandidate candidate : BENCHMARKS.get(benchmark)) {
                LossCandidate baseline = candidate.baseline();
                counts.add(new Count(benchmark, ((Enum<?>) candidate).name(),
                        baseline == null ? null : ((Enum<?>) baseline).name(),
                        pointersPerCall(candidate, size[0], size[1])));
            }
        });
        return counts;
    }

    /**
     * The median, over single calls after a warm-up, of the growth in live pointers during the call: a garbage
     * collection that frees older pointers within a call lowers one sample, not the median.
     */
    static long pointersPerCall(LossCandidate candidate, int rows, int columns) {
        ILossFunction loss = candidate.newLoss();
        IActivation activation = candidate.activation();
        INDArray labels = candidate.labels(rows, columns, 1);
        INDArray preOutput = Inputs.gaussian(rows, columns, 2).muli(3);
        Runnable call = () -> WorkspaceMode.FIT.run(
                () -> loss.computeGradientAndScore(labels, preOutput, activation, null, false));
        for (int i = 0; i < WARM_UP_CALLS; i++) {
            call.run();
        }
        long[] growth = new long[COUNTED_CALLS];
        for (int i = 0; i < COUNTED_CALLS; i++) {
            long before = Pointer.totalCount();
            call.run();
            growth[i] = Pointer.totalCount() - before;
        }
        Arrays.sort(growth);
        return growth[COUNTED_CALLS / 2];
    }
}
