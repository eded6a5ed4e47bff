package io.github.losskit.dl4j;

import io.github.losskit.core.LossResult;
import io.github.losskit.core.Need;
import io.github.losskit.core.TaskColumns;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Several tasks on one output layer: the layer's columns are split into consecutive slices, one per task, and
 * each task has its own loss, output activation and fixed weight. Per example the loss is
 * {@code sum_t weight_t * loss_t(labels[:, slice_t], activation_t(preOutput[:, slice_t]))}; the gradient in a
 * task's columns is that task's gradient times its weight.
 *
 * <pre>{@code
 * LossMultiTask loss = LossMultiTask.builder()
 *     .task("class", new LossCrossEntropy(), Activation.SOFTMAX, 0, 10, 1.0)
 *     .task("box", new LossSmoothL1(), Activation.IDENTITY, 10, 14, 5.0)
 *     .build();
 * new OutputLayer.Builder().lossFunction(loss).activation(Activation.IDENTITY).nIn(64).nOut(loss.nOut()).build();
 * }</pre>
 *
 * <p>The output layer's own activation must be {@code IDENTITY}: each task applies its activation to its own
 * columns, so {@code net.output(...)} returns pre-activations; {@link #predictions(INDArray)} turns them into
 * each task's predictions. Slices are half-open, {@code [from, to)}, and must cover the columns
 * {@code [0, nOut)} without gaps or overlaps: a column no task claims is almost always an off-by-one error, so
 * it is refused rather than given a zero gradient. Any {@link ILossFunction} works as a task's loss, LossKit's
 * or DL4J's; masks reach every task, a per-example mask {@code [minibatch, 1]} unchanged and a per-output mask
 * split like the labels, so a per-output mask can drop one task of an example and keep the others.
 */
public final class LossMultiTask extends AbstractLossFunction {

    private static final long serialVersionUID = 1L;

    private final List<Task> tasks;

    /**
     * @param tasks the tasks, in any order; together their slices must cover {@code [0, nOut)} exactly once
     */
    @JsonCreator
    public LossMultiTask(@JsonProperty("tasks") List<Task> tasks) {
        this.tasks = checkedTasks(tasks);
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Task> getTasks() {
        return tasks;
    }

    /** The number of columns the tasks cover: the {@code nOut} of the output layer. */
    public int nOut() {
        return tasks.stream().mapToInt(Task::getTo).max().orElseThrow();
    }

    /**
     * Each task's activation applied to its own columns of {@code preOutput} (what {@code net.output(...)}
     * returns from an identity output layer), as a new array: class probabilities, box coordinates and so on.
     */
    public INDArray predictions(INDArray preOutput) {
        requireColumns(preOutput);
        INDArray predictions = preOutput.ulike();
        for (Task task : tasks) {
            INDArrayIndex[] slice = task.slice();
            predictions.get(slice).assign(task.activation.getActivation(preOutput.get(slice).dup(), false));
        }
        return predictions;
    }

    @Override
    protected LossResult evaluate(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            Need need) {
        if (!(activationFn instanceof ActivationIdentity)) {
            throw new IllegalArgumentException(lossName() + " applies each task's activation to the task's own"
                    + " columns, so the output layer's activation must be Activation.IDENTITY; got "
                    + (activationFn == null ? "null" : activationFn.getClass().getSimpleName()));
        }
        requireColumns(preOutput);
        long rows = preOutput.size(0);
        INDArray perExample = need.score() ? Nd4j.zeros(preOutput.dataType(), rows, 1) : null;
        INDArray gradient = need.gradient() ? preOutput.ulike() : null;
        for (Task task : tasks) {
            INDArrayIndex[] slice = task.slice();
            // a per-output mask is split like the labels; a per-example column applies to every task as it is
            INDArray taskMask = mask == null || mask.size(1) == 1 ? mask : mask.get(slice).dup();
            // the tasks' scores are weighed and added per example
            LossResult result = task.evaluate(labels.get(slice).dup(), preOutput.get(slice).dup(), taskMask,
                    need.withPerExample(), labels.shape());
            if (perExample != null) {
                perExample.addi(result.perExample().reshape(rows, 1).castTo(perExample.dataType())
                        .muli(task.weight));
            }
            if (gradient != null) {
                gradient.get(slice).assign(result.gradient().castTo(gradient.dataType()).muli(task.weight));
            }
        }
        return new LossResult(perExample, gradient);
    }

    private void requireColumns(INDArray preOutput) {
        int nOut = nOut();
        if (preOutput.rank() != 2 || preOutput.size(1) != nOut) {
            throw new IllegalArgumentException(lossName() + ": the tasks cover columns [0, " + nOut + ") but"
                    + " preOutput has shape " + Arrays.toString(preOutput.shape()) + "; give the output layer nOut("
                    + nOut + ") or change the tasks' slices (" + slices() + ")");
        }
    }

    private String slices() {
        return TaskColumns.describe(columnsOf(tasks));
    }

    private static List<TaskColumns> columnsOf(List<Task> tasks) {
        return tasks.stream().map(t -> new TaskColumns(t.name, t.from, t.to)).toList();
    }

    private static List<Task> checkedTasks(List<Task> tasks) {
        String loss = LossMultiTask.class.getSimpleName();
        if (tasks == null || tasks.isEmpty()) {
            throw new IllegalArgumentException(loss + ": give at least one task, e.g. builder().task(\"class\","
                    + " new LossCrossEntropy(), Activation.SOFTMAX, 0, 10, 1.0)");
        }
        if (tasks.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException(loss + ": tasks must not be null, got " + tasks);
        }
        TaskColumns.checkPartition(loss, columnsOf(tasks));
        return List.copyOf(tasks);
    }


    @Override
    public boolean equals(Object o) {
        return o instanceof LossMultiTask other && tasks.equals(other.tasks);
    }

    @Override
    public int hashCode() {
        return tasks.hashCode();
    }

    @Override
    public String toString() {
        return "LossMultiTask(" + tasks.stream().map(Task::toString).collect(Collectors.joining(", ")) + ")";
    }

    /**
     * One task of a {@link LossMultiTask}: a name for messages, a loss, the activation applied to the task's
     * columns, the half-open column slice {@code [from, to)} and a weight {@code > 0}.
     */
    public static final class Task implements Serializable {

        private static final long serialVersionUID = 1L;

        private final String name;
        private final ILossFunction loss;
        private final IActivation activation;
        private final int from;
        private final int to;
        private final double weight;

        @JsonCreator
        public Task(@JsonProperty("name") String name, @JsonProperty("loss") ILossFunction loss,
                @JsonProperty("activation") IActivation activation, @JsonProperty("from") int from,
                @JsonProperty("to") int to, @JsonProperty("weight") double weight) {
            String prefix = LossMultiTask.class.getSimpleName() + ": task '" + name + "'";
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException(LossMultiTask.class.getSimpleName() + ": every task needs a"
                        + " name (used in messages), got " + (name == null ? "null" : "'" + name + "'"));
            }
            if (loss == null) {
                throw new IllegalArgumentException(prefix + ": loss must not be null");
            }
            if (loss instanceof LossMultiTask) {
                throw new IllegalArgumentException(prefix + ": a task's loss cannot itself be a LossMultiTask;"
                        + " give its tasks to the outer one");
            }
            if (activation == null) {
                throw new IllegalArgumentException(prefix + ": activation must not be null (Activation.IDENTITY"
                        + " for none)");
            }
            if (from < 0 || to <= from) {
                throw new IllegalArgumentException(prefix + ": columns [" + from + ", " + to + ") are not a"
                        + " slice; give 0 <= from < to (from inclusive, to exclusive)");
            }
            if (!(weight > 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException(prefix + ": weight must be finite and > 0, got " + weight);
            }
            this.name = name;
            this.loss = loss;
            this.activation = activation;
            this.from = from;
            this.to = to;
            this.weight = weight;
        }

        public String getName() {
            return name;
        }

        public ILossFunction getLoss() {
            return loss;
        }

        public IActivation getActivation() {
            return activation;
        }

        public int getFrom() {
            return from;
        }

        public int getTo() {
            return to;
        }

        public double getWeight() {
            return weight;
        }

        private INDArrayIndex[] slice() {
            return new INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.interval(from, to)};
        }

        private String columns() {
            return "[" + from + ", " + to + ")";
        }

        /**
         * The task's unweighted loss on its own columns. LossKit losses compute score and gradient in one pass
         * (a package-private shortcut to their checked-argument entry point); other losses take two calls.
         */
        private LossResult evaluate(INDArray labels, INDArray preOutput, INDArray mask, Need need,
                long[] fullShape) {
            try {
                if (loss instanceof AbstractLossFunction lossKit) {
                    return lossKit.evaluate(labels, preOutput, activation, mask, need);
                }
                INDArray perExample = need.score() ? loss.computeScoreArray(labels, preOutput, activation, mask)
                        : null;
                INDArray gradient = need.gradient() ? loss.computeGradient(labels, preOutput, activation, mask)
                        : null;
                return new LossResult(perExample, gradient);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new IllegalArgumentException(LossMultiTask.class.getSimpleName() + ", task '" + name
                        + "' (columns " + columns() + " of labels shape " + Arrays.toString(fullShape) + "): "
                        + e.getMessage(), e);
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Task other && name.equals(other.name) && loss.equals(other.loss)
                    && activation.equals(other.activation) && from == other.from && to == other.to
                    && weight == other.weight;
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, loss, activation, from, to, weight);
        }

        @Override
        public String toString() {
            return name + ": " + loss + ", " + activation + ", columns " + columns() + ", weight " + weight;
        }
    }

    /** Builds a {@link LossMultiTask}; the tasks are checked by {@link #build()}. */
    public static final class Builder {
        private final List<Task> tasks = new ArrayList<>();

        /**
         * Adds a task on columns {@code [from, to)}.
         *
         * @param activation the activation of the task's columns, e.g. {@code Activation.SOFTMAX} for a
         *                   cross-entropy task
         * @param weight     the task's fixed weight, > 0
         */
        public Builder task(String name, ILossFunction loss, Activation activation, int from, int to, double weight) {
            if (activation == null) {
                throw new IllegalArgumentException(LossMultiTask.class.getSimpleName() + ": task '" + name
                        + "': activation must not be null (Activation.IDENTITY for none)");
            }
            return task(new Task(name, loss, activation.getActivationFunction(), from, to, weight));
        }

        /** Adds a task with an activation object, e.g. one with parameters. */
        public Builder task(String name, ILossFunction loss, IActivation activation, int from, int to,
                double weight) {
            return task(new Task(name, loss, activation, from, to, weight));
        }

        public Builder task(Task task) {
            tasks.add(task);
            return this;
        }

        public LossMultiTask build() {
            return new LossMultiTask(tasks);
        }
    }
}
