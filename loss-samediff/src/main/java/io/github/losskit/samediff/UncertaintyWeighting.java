package io.github.losskit.samediff;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Learnable uncertainty weighting of several task losses (A. Kendall, Y. Gal, R. Cipolla, <i>Multi-Task
 * Learning Using Uncertainty to Weigh Losses for Scene Geometry and Semantics</i>, CVPR 2018):
 *
 * <pre>
 * total = sum_i c_i (exp(-s_i) L_i + s_i)        s_i = log sigma_i^2, learned with the network
 * </pre>
 *
 * with c_i = 1 ({@link UncertaintyWeightingForm#STANDARD}) or 1/2 ({@link UncertaintyWeightingForm#HALVED}) per
 * task. A task with a large loss learns a large sigma^2 and is weighed down by exp(-s); the + s term keeps
 * sigma^2 from growing without bound. For fixed L the total is smallest at sigma^2 = L, so the learned
 * sigma^2 estimate each task's loss level. Each s_i starts at 0 (sigma^2 = 1, weight exp(0) = 1) unless
 * configured.
 *
 * <p>The task losses must be non-negative scalars; give means rather than sums, so that the learned sigma^2 do
 * not depend on the minibatch size. A task whose loss can reach 0 (a noise-free task fitted exactly) drives its
 * s towards -infinity: that is the method, not a bug, and a reason to keep such tasks out of the weighting.
 *
 * <p>This object is the configuration: the form and initial s of each task, or one value for every task.
 * {@link SDLosses#uncertaintyWeighted(String, UncertaintyWeighting, SDVariable...)} adds the weighting to a
 * graph; {@link #variances(SameDiff, String)} reads the learned sigma^2 back.
 */
public final class UncertaintyWeighting {

    /** The s variable of a weighting named {@code name} is {@code name + LOG_VARIANCES_SUFFIX}. */
    public static final String LOG_VARIANCES_SUFFIX = "/logVariances";

    private static final String BUILDER = "SDLosses.uncertaintyWeighted";

    private final List<UncertaintyWeightingForm> forms;
    private final double[] initialLogVariances;

    private UncertaintyWeighting(List<UncertaintyWeightingForm> forms, double[] initialLogVariances) {
        if (forms.isEmpty() || forms.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("UncertaintyWeighting: give one form for every task or one per task,"
                    + " none null; got " + forms);
        }
        if (initialLogVariances.length == 0) {
            throw new IllegalArgumentException("UncertaintyWeighting: give one initial log-variance for every task"
                    + " or one per task; got none");
        }
        for (int i = 0; i < initialLogVariances.length; i++) {
            if (!Double.isFinite(initialLogVariances[i])) {
                throw new IllegalArgumentException("UncertaintyWeighting: initialLogVariances[" + i + "] must be"
                        + " finite, got " + initialLogVariances[i] + " in " + Arrays.toString(initialLogVariances));
            }
        }
        this.forms = List.copyOf(forms);
        this.initialLogVariances = initialLogVariances.clone();
    }

    /** Every task in the {@link UncertaintyWeightingForm#STANDARD} form, every s starting at 0. */
    public static UncertaintyWeighting standard() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The forms as configured: one for every task, or one per task. */
    public List<UncertaintyWeightingForm> forms() {
        return forms;
    }

    /** The initial s = log sigma^2 as configured: one for every task, or one per task. */
    public double[] initialLogVariances() {
        return initialLogVariances.clone();
    }

    /** The name of the s variable of the weighting whose total is named {@code lossName}. */
    public static String logVariancesName(String lossName) {
        return lossName + LOG_VARIANCES_SUFFIX;
    }

    /** The current s_i = log sigma_i^2 of the weighting whose total is named {@code lossName}, in task order. */
    public static double[] logVariances(SameDiff sd, String lossName) {
        SDVariable s = sd == null ? null : sd.getVariable(logVariancesName(lossName));
        if (s == null || s.getArr() == null) {
            throw new IllegalArgumentException("UncertaintyWeighting: the graph has no uncertainty-weighted loss named '"
                    + lossName + "' (no variable '" + logVariancesName(lossName) + "'); give the name the total was"
                    + " created with");
        }
        return s.getArr().castTo(DataType.DOUBLE).dup().data().asDouble();
    }

    /** The current sigma_i^2 = exp(s_i) of the weighting whose total is named {@code lossName}, in task order. */
    public static double[] variances(SameDiff sd, String lossName) {
        return Arrays.stream(logVariances(sd, lossName)).map(Math::exp).toArray();
    }

    /**
     * sum_i c_i (exp(-s_i) L_i + s_i) as a scalar, neither named nor marked as a loss: the formula itself, for
     * graphs that hold s elsewhere (a layer's parameters, say).
     *
     * @param logVariances the s_i, a variable of {@code factors.length} elements ([n] or [1, n])
     * @param factors      c_i per task: {@link UncertaintyWeightingForm#factor()}
     * @param taskLosses   the L_i, one scalar each
     */
    public static SDVariable total(SDVariable logVariances, double[] factors, SDVariable... taskLosses) {
        SameDiff sd = logVariances.getSameDiff();
        DataType type = logVariances.dataType();
        long[] shape = logVariances.getShape();
        long tasks = shape == null ? -1 : Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (factors.length != taskLosses.length || (tasks >= 0 && tasks != taskLosses.length)) {
            throw new IllegalArgumentException("UncertaintyWeighting.total: " + taskLosses.length + " task losses, "
                    + factors.length + " factors and log-variances of shape " + Arrays.toString(shape)
                    + "; give one of each per task");
        }
        // the scalars L_i placed into a vector of s's shape, so that one exp and one sum serve every task; the
        // one-hot constants avoid gather/strided slices, whose backprop is unreliable for a leading dimension of 1
        SDVariable losses = null;
        for (int i = 0; i < taskLosses.length; i++) {
            double[] unit = new double[taskLosses.length];
            unit[i] = 1;
            SDVariable loss = taskLosses[i].dataType() == type ? taskLosses[i] : taskLosses[i].castTo(type);
            SDVariable placed = loss.mul(constant(sd, unit, shape, type));
            losses = losses == null ? placed : losses.add(placed);
        }
        SDVariable perTask = sd.math().exp(logVariances.neg()).mul(losses).add(logVariances);
        return perTask.mul(constant(sd, factors, shape, type)).sum();
    }

    private static SDVariable constant(SameDiff sd, double[] values, long[] shape, DataType type) {
        return sd.constant(Nd4j.createFromArray(values).castTo(type).reshape(shape));
    }

    /** The factor c_i of each of {@code tasks} tasks. */
    public double[] factors(int tasks) {
        double[] factors = new double[tasks];
        for (int i = 0; i < tasks; i++) {
            factors[i] = forms.get(forms.size() == 1 ? 0 : i).factor();
        }
        return factors;
    }

    /** The initial s of each of {@code tasks} tasks. */
    public double[] initialLogVariances(int tasks) {
        double[] initial = new double[tasks];
        for (int i = 0; i < tasks; i++) {
            initial[i] = initialLogVariances[initialLogVariances.length == 1 ? 0 : i];
        }
        return initial;
    }

    /**
     * Adds the weighting of {@code taskLosses} to {@code sd}: a trainable s variable named
     * {@code logVariancesName(name)} and the total named {@code name}, which becomes a loss of the graph in place
     * of every loss it is computed from (training on both would count those tasks twice).
     */
    static SDVariable addTo(SameDiff sd, String name, UncertaintyWeighting config, SDVariable... taskLosses) {
        if (config == null) {
            throw new IllegalArgumentException(BUILDER + ": config must not be null (UncertaintyWeighting.standard()"
                    + " for the defaults)");
        }
        DataType type = checkTaskLosses(sd, taskLosses);
        int tasks = taskLosses.length;
        config.requireTasks(tasks);
        String totalName = name != null ? name : sd.generateNewVarName("uncertaintyWeighted", 0);
        SDVariable logVariances = sd.var(logVariancesName(totalName),
                Nd4j.createFromArray(config.initialLogVariances(tasks)).castTo(type));
        SDVariable total = sd.updateVariableNameAndReference(total(logVariances, config.factors(tasks), taskLosses),
                totalName);
        // a loss the total is computed from (a task loss, or a loss that a task loss was derived from) would count
        // twice in training; losses elsewhere in the graph stay
        Set<String> upstream = upstreamOf(sd, total.name());
        List<String> losses = new ArrayList<>(sd.getLossVariables() == null ? List.of() : sd.getLossVariables());
        losses.removeIf(upstream::contains);
        losses.add(total.name());
        sd.setLossVariables(losses.toArray(String[]::new));
        return total;
    }

    /** The names of the variables that {@code name} is computed from, itself included. */
    private static Set<String> upstreamOf(SameDiff sd, String name) {
        Set<String> seen = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>(List.of(name));
        while (!pending.isEmpty()) {
            String variable = pending.pop();
            if (seen.add(variable)) {
                DifferentialFunction op = sd.getVariableOutputOp(variable);
                if (op != null) {
                    pending.addAll(Arrays.asList(sd.getInputsForOp(op)));
                }
            }
        }
        return seen;
    }

    private void requireTasks(int tasks) {
        if ((forms.size() != 1 && forms.size() != tasks)
                || (initialLogVariances.length != 1 && initialLogVariances.length != tasks)) {
            throw new IllegalArgumentException(BUILDER + ": the configuration has " + forms.size() + " form(s) and "
                    + initialLogVariances.length + " initial log-variance(s) for " + tasks + " task losses; give 1 or "
                    + tasks + " of each");
        }
    }

    private static DataType checkTaskLosses(SameDiff sd, SDVariable[] taskLosses) {
        if (taskLosses == null || taskLosses.length == 0) {
            throw new IllegalArgumentException(BUILDER + ": give at least one task loss");
        }
        DataType type = null;
        for (int i = 0; i < taskLosses.length; i++) {
            SDVariable loss = taskLosses[i];
            if (loss == null) {
                throw new IllegalArgumentException(BUILDER + ": taskLosses[" + i + "] is null");
            }
            if (loss.getSameDiff() != sd) {
                throw new IllegalArgumentException(BUILDER + ": taskLosses[" + i + "] ('" + loss.name() + "') belongs"
                        + " to another SameDiff graph");
            }
            if (loss.dataType() == null || !loss.dataType().isFPType()) {
                throw new IllegalArgumentException(BUILDER + ": taskLosses[" + i + "] ('" + loss.name() + "') must be"
                        + " floating point, got " + loss.dataType());
            }
            long[] shape = loss.getShape();
            if (shape != null && Arrays.stream(shape).anyMatch(d -> d != 1 && d != -1)) {
                throw new IllegalArgumentException(BUILDER + ": taskLosses[" + i + "] ('" + loss.name() + "') has"
                        + " shape " + Arrays.toString(shape) + "; each task loss must be a scalar: reduce it first,"
                        + " e.g. with LossReduce.MEAN_BY_WEIGHT");
            }
            type = type == null ? loss.dataType() : type;
        }
        return type;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UncertaintyWeighting other && forms.equals(other.forms)
                && Arrays.equals(initialLogVariances, other.initialLogVariances);
    }

    @Override
    public int hashCode() {
        return Objects.hash(forms, Arrays.hashCode(initialLogVariances));
    }

    @Override
    public String toString() {
        return "UncertaintyWeighting(forms=" + forms + ", initialLogVariances=" + Arrays.toString(initialLogVariances)
                + ")";
    }

    /** Builds an {@link UncertaintyWeighting}; values are checked by {@link #build()}. */
    public static final class Builder {
        private List<UncertaintyWeightingForm> forms = List.of(UncertaintyWeightingForm.STANDARD);
        private double[] initialLogVariances = {0.0};

        /** The same form for every task. Default {@link UncertaintyWeightingForm#STANDARD}. */
        public Builder form(UncertaintyWeightingForm form) {
            this.forms = Collections.singletonList(form);
            return this;
        }

        /** One form per task, in the order of the task losses. */
        public Builder forms(UncertaintyWeightingForm... perTask) {
            this.forms = perTask == null ? List.of() : Arrays.asList(perTask.clone());
            return this;
        }

        /** The same initial s = log sigma^2 for every task. Default 0 (sigma^2 = 1). */
        public Builder initialLogVariance(double s) {
            this.initialLogVariances = new double[] {s};
            return this;
        }

        /** One initial s = log sigma^2 per task, in the order of the task losses. */
        public Builder initialLogVariances(double... perTask) {
            this.initialLogVariances = perTask == null ? new double[0] : perTask.clone();
            return this;
        }

        public UncertaintyWeighting build() {
            return new UncertaintyWeighting(forms, initialLogVariances);
        }
    }
}
