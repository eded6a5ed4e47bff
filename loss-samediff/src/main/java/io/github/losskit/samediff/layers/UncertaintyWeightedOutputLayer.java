package io.github.losskit.samediff.layers;

import io.github.losskit.core.TaskColumns;
import io.github.losskit.samediff.SDLosses;
import io.github.losskit.samediff.UncertaintyWeighting;
import io.github.losskit.samediff.UncertaintyWeightingForm;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffOutputLayer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A DL4J output layer for several tasks whose weights are learned (Kendall et al. 2018): a dense projection
 * {@code z = x W + b} to {@code nOut} columns, split into task slices as in {@code LossMultiTask}, each with its
 * own {@link TaskLoss} and activation, and one trainable s_t = log sigma_t^2 per task. Its score is
 *
 * <pre>
 * sum_t c_t (exp(-s_t) L_t + s_t)        L_t = the task's loss per example, averaged over the minibatch
 * </pre>
 *
 * with c_t = 1 or 1/2 by the task's {@link UncertaintyWeightingForm} (see {@link UncertaintyWeighting}). The
 * s_t are the parameter {@value #LOG_VARIANCES} ([1, tasks], in task order), trained with the network by its
 * updater and exempt from its l1/l2/weight decay; they start at each task's initial value (default 0).
 * {@link #variances(Layer)} reads the learned sigma^2. The layer's output ({@code net.output(...)}) is each
 * task's activation applied to its columns: class probabilities, box coordinates, distributions.
 *
 * <pre>{@code
 * new UncertaintyWeightedOutputLayer.Builder().nIn(64)
 *     .task("class", TaskLoss.crossEntropy(), Activation.SOFTMAX, 0, 10)
 *     .task("box", TaskLoss.smoothL1(), Activation.IDENTITY, 10, 14, UncertaintyWeightingForm.HALVED)
 *     .build();
 * }</pre>
 *
 * <p>Built on DL4J's {@code SameDiffOutputLayer}, which divides the graph's scalar by the minibatch size: the
 * graph returns the total times the minibatch size, so the network's score is the total above. Label masks are
 * refused (that layer cannot pass them to the graph, so masked examples would count in full), and
 * {@code computeScoreForExamples} is not supported by DL4J for SameDiff output layers.
 */
public final class UncertaintyWeightedOutputLayer extends SameDiffOutputLayer {

    private static final long serialVersionUID = 1L;

    /** The projection's weights [nIn, nOut]. */
    public static final String WEIGHTS = "W";
    /** The projection's bias [1, nOut]. */
    public static final String BIAS = "b";
    /** The tasks' s_t = log sigma_t^2 [1, tasks]. */
    public static final String LOG_VARIANCES = "logVariances";

    private static final String PREDICTIONS = "predictions";
    private static final String NAME = UncertaintyWeightedOutputLayer.class.getSimpleName();

    @JsonProperty("nIn")
    private long nIn;
    @JsonProperty("tasks")
    private List<Task> tasks;
    @JsonProperty("weightInit")
    private IWeightInit weightInit;

    /** For JSON. */
    private UncertaintyWeightedOutputLayer() {
    }

    private UncertaintyWeightedOutputLayer(Builder builder) {
        // SameDiffOutputLayer has no builder constructor: take over what AbstractSameDiffLayer's would copy
        setLayerName(builder.getLayerName());
        setIDropout(builder.getIDropout());
        initializeConstraints(builder);
        setRegularization(builder.getRegularization());
        setRegularizationBias(builder.getRegularizationBias());
        setUpdater(builder.getUpdater());
        setBiasUpdater(builder.getBiasUpdater());
        this.nIn = builder.nIn;
        this.tasks = checkedTasks(builder.tasks);
        this.weightInit = builder.weightInit;
    }

    /** The size of the input; 0 until set by the builder or by the network's input type. */
    @JsonIgnore
    public long getNIn() {
        return nIn;
    }

    public List<Task> getTasks() {
        return tasks;
    }

    /** The projection's weight initialisation; {@code null} takes the network's. */
    public IWeightInit getWeightInit() {
        return weightInit;
    }

    /** The number of columns the tasks cover. */
    public int nOut() {
        return tasks.stream().mapToInt(Task::getTo).max().orElseThrow();
    }

    /**
     * The learned sigma_t^2 = exp(s_t) of each task, by task name, from a network's layer built from this
     * configuration ({@code net.getOutputLayer()}, {@code graph.getLayer("out")}).
     */
    public static Map<String, Double> variances(Layer layer) {
        Map<String, Double> variances = new LinkedHashMap<>();
        logVariances(layer).forEach((task, s) -> variances.put(task, Math.exp(s)));
        return variances;
    }

    /** The learned s_t = log sigma_t^2 of each task, by task name. */
    public static Map<String, Double> logVariances(Layer layer) {
        if (layer == null || !(layer.conf().getLayer() instanceof UncertaintyWeightedOutputLayer conf)) {
            throw new IllegalArgumentException(NAME + ".logVariances: the layer is not an " + NAME + ": "
                    + (layer == null ? "null" : layer.conf().getLayer().getClass().getSimpleName()));
        }
        double[] s = layer.getParam(LOG_VARIANCES).castTo(DataType.DOUBLE).dup().data().asDouble();
        Map<String, Double> logVariances = new LinkedHashMap<>();
        for (int t = 0; t < conf.tasks.size(); t++) {
            logVariances.put(conf.tasks.get(t).name, s[t]);
        }
        return logVariances;
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, SDVariable labels, Map<String, SDVariable> params) {
        SDVariable preOutput = input.mmul(params.get(WEIGHTS)).add(params.get(BIAS));
        DataType type = preOutput.dataType();
        SDLosses losses = new SDLosses(sd);
        SDVariable examples = sd.sizeAt(input, 0).castTo(type);
        int nOut = nOut();
        SDVariable[] meanLosses = new SDVariable[tasks.size()];
        SDVariable predictions = null;
        for (int t = 0; t < tasks.size(); t++) {
            Task task = tasks.get(t);
            // column slices as products with constant 0/1 matrices: strided slices backpropagate wrongly for a
            // minibatch of 1
            SDVariable select = sd.constant(selection(task, nOut, type));
            SDVariable place = sd.constant(selection(task, nOut, type).transpose().dup());
            SDVariable taskPreOutput = preOutput.mmul(select);
            SDVariable taskLabels = labels.mmul(select);
            meanLosses[t] = task.loss.sum(losses, taskLabels, taskPreOutput, task.activation).div(examples);
            SDVariable taskPredictions = task.activation.asSameDiff(sd, taskPreOutput).mmul(place);
            predictions = predictions == null ? taskPredictions : predictions.add(taskPredictions);
        }
        sd.updateVariableNameAndReference(predictions, PREDICTIONS);
        double[] factors = tasks.stream().mapToDouble(task -> task.form.factor()).toArray();
        // SameDiffOutputLayer divides the graph's scalar by the minibatch size; multiplying first makes the
        // network's score the total of the per-example means
        SDVariable total = UncertaintyWeighting.total(params.get(LOG_VARIANCES), factors, meanLosses).mul(examples);
        // the task sums are marked as losses by SDLosses; only the total is what the layer minimises
        sd.setLossVariables(total);
        return total;
    }

    /** [nOut, width]: 1 where the task's column j is output column from + j. */
    private static INDArray selection(Task task, int nOut, DataType type) {
        INDArray select = Nd4j.zeros(type, nOut, task.to - task.from);
        for (int j = 0; j < task.to - task.from; j++) {
            select.putScalar(task.from + j, j, 1.0);
        }
        return select;
    }

    @Override
    public String activationsVertexName() {
        return PREDICTIONS;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        if (nIn <= 0) {
            throw new IllegalArgumentException(NAME + ": nIn is not set; give nIn(...) to the builder or an input"
                    + " type to the network (setInputType)");
        }
        params.addWeightParam(WEIGHTS, nIn, nOut());
        params.addBiasParam(BIAS, 1, nOut());
        params.addWeightParam(LOG_VARIANCES, 1, tasks.size());
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        IWeightInit init = weightInit == null ? WeightInit.XAVIER.getWeightInitFunction() : weightInit;
        INDArray weights = params.get(WEIGHTS);
        INDArray initialized = init.init(nIn, nOut(), weights.shape(), IWeightInit.DEFAULT_WEIGHT_INIT_ORDER, weights);
        if (initialized != weights) {
            weights.assign(initialized);
        }
        params.get(BIAS).assign(0.0);
        INDArray s = params.get(LOG_VARIANCES);
        for (int t = 0; t < tasks.size(); t++) {
            s.putScalar(0, t, tasks.get(t).initialLogVariance);
        }
    }

    /** The s_t are not weights: decaying them towards 0 would pull every sigma^2 towards 1. */
    @Override
    public List<Regularization> getRegularizationByParam(String param) {
        return LOG_VARIANCES.equals(param) ? List.of() : super.getRegularizationByParam(param);
    }

    @Override
    public void applyGlobalConfigToLayer(NeuralNetConfiguration.Builder globalConfig) {
        if (weightInit == null) {
            weightInit = globalConfig.getWeightInitFn();
        }
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(nOut());
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (!(inputType instanceof InputType.InputTypeFeedForward feedForward)) {
            throw new IllegalArgumentException(NAME + ": the input must be feed-forward [minibatch, features], got "
                    + inputType);
        }
        if (nIn <= 0 || override) {
            nIn = feedForward.getSize();
        }
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
            int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        Implementation layer = new Implementation(conf, networkDataType, nOut());
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    /**
     * DL4J's SameDiff output layer with two checks it lacks: labels must have the tasks' columns (the graph
     * would fail with a shape error from a matrix product), and label masks are refused rather than ignored.
     */
    static final class Implementation extends org.deeplearning4j.nn.layers.samediff.SameDiffOutputLayer {

        private static final long serialVersionUID = 1L;

        private final int nOut;

        Implementation(NeuralNetConfiguration conf, DataType dataType, int nOut) {
            super(conf, dataType);
            this.nOut = nOut;
        }

        @Override
        public void setLabels(INDArray labels) {
            if (labels != null && (labels.rank() != 2 || labels.size(1) != nOut)) {
                throw new IllegalArgumentException(NAME + ": labels must be [minibatch, " + nOut + "], one column"
                        + " per output of the tasks; got shape " + Arrays.toString(labels.shape()));
            }
            super.setLabels(labels);
        }

        @Override
        public void setMaskArray(INDArray maskArray) {
            if (maskArray != null) {
                throw new IllegalArgumentException(NAME + ": label masks are not supported: DL4J's"
                        + " SameDiffOutputLayer does not pass them to the layer's graph, so masked examples would"
                        + " count in full. Leave masked examples out of the minibatch instead (mask shape "
                        + Arrays.toString(maskArray.shape()) + ")");
            }
            super.setMaskArray(null);
        }
    }

    private static List<Task> checkedTasks(List<Task> tasks) {
        if (tasks == null || tasks.isEmpty()) {
            throw new IllegalArgumentException(NAME + ": give at least one task, e.g. task(\"class\","
                    + " TaskLoss.crossEntropy(), Activation.SOFTMAX, 0, 10)");
        }
        if (tasks.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException(NAME + ": tasks must not be null, got " + tasks);
        }
        TaskColumns.checkPartition(NAME, tasks.stream().map(t -> new TaskColumns(t.name, t.from, t.to)).toList());
        return List.copyOf(tasks);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UncertaintyWeightedOutputLayer other && super.equals(o) && nIn == other.nIn
                && Objects.equals(tasks, other.tasks) && Objects.equals(weightInit, other.weightInit);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), nIn, tasks, weightInit);
    }

    @Override
    public String toString() {
        return NAME + "(nIn=" + nIn + ", tasks=" + tasks + ", weightInit=" + weightInit + ")";
    }

    /**
     * One task: a name, its loss, the activation of its columns, the half-open columns {@code [from, to)},
     * its {@link UncertaintyWeightingForm} and the initial s = log sigma^2.
     */
    public static final class Task implements Serializable {

        private static final long serialVersionUID = 1L;

        private final String name;
        private final TaskLoss loss;
        private final Activation activation;
        private final int from;
        private final int to;
        private final UncertaintyWeightingForm form;
        private final double initialLogVariance;

        @JsonCreator
        public Task(@JsonProperty("name") String name, @JsonProperty("loss") TaskLoss loss,
                @JsonProperty("activation") Activation activation, @JsonProperty("from") int from,
                @JsonProperty("to") int to, @JsonProperty("form") UncertaintyWeightingForm form,
                @JsonProperty("initialLogVariance") double initialLogVariance) {
            String prefix = NAME + ": task '" + name + "'";
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException(NAME + ": every task needs a name (used in messages and by"
                        + " variances()), got " + (name == null ? "null" : "'" + name + "'"));
            }
            if (loss == null) {
                throw new IllegalArgumentException(prefix + ": loss must not be null");
            }
            if (activation == null) {
                throw new IllegalArgumentException(prefix + ": activation must not be null (Activation.IDENTITY"
                        + " for none)");
            }
            if (from < 0 || to <= from) {
                throw new IllegalArgumentException(prefix + ": columns [" + from + ", " + to + ") are not a slice;"
                        + " give 0 <= from < to (from inclusive, to exclusive)");
            }
            if (form == null) {
                throw new IllegalArgumentException(prefix + ": form must not be null");
            }
            if (!Double.isFinite(initialLogVariance)) {
                throw new IllegalArgumentException(prefix + ": initialLogVariance must be finite, got "
                        + initialLogVariance);
            }
            loss.checkActivation(name, activation);
            if (activation == Activation.SOFTMAX && to - from < 2) {
                throw new IllegalArgumentException(prefix + ": a softmax over 1 column is 1 whatever the input; give"
                        + " the task at least 2 columns or another activation");
            }
            requireSameDiffForm(prefix, activation);
            this.name = name;
            this.loss = loss;
            this.activation = activation;
            this.from = from;
            this.to = to;
            this.form = form;
            this.initialLogVariance = initialLogVariance;
        }

        /** A task in the {@link UncertaintyWeightingForm#STANDARD} form starting at s = 0. */
        public static Task of(String name, TaskLoss loss, Activation activation, int from, int to) {
            return new Task(name, loss, activation, from, to, UncertaintyWeightingForm.STANDARD, 0.0);
        }

        /** This task in another form. */
        public Task withForm(UncertaintyWeightingForm form) {
            return new Task(name, loss, activation, from, to, form, initialLogVariance);
        }

        /** This task starting at another s = log sigma^2. */
        public Task withInitialLogVariance(double s) {
            return new Task(name, loss, activation, from, to, form, s);
        }

        /** Building the activation into a throwaway graph is the only way to learn whether SameDiff has it. */
        private static void requireSameDiffForm(String prefix, Activation activation) {
            try {
                SameDiff probe = SameDiff.create();
                activation.asSameDiff(probe, probe.placeHolder("x", DataType.FLOAT, -1, 2));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(prefix + ": Activation." + activation + " has no SameDiff form ("
                        + e.getMessage() + "); choose another activation", e);
            }
        }

        public String getName() {
            return name;
        }

        public TaskLoss getLoss() {
            return loss;
        }

        public Activation getActivation() {
            return activation;
        }

        public int getFrom() {
            return from;
        }

        public int getTo() {
            return to;
        }

        public UncertaintyWeightingForm getForm() {
            return form;
        }

        public double getInitialLogVariance() {
            return initialLogVariance;
        }

        private String columns() {
            return "[" + from + ", " + to + ")";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Task other && name.equals(other.name) && loss.equals(other.loss)
                    && activation == other.activation && from == other.from && to == other.to && form == other.form
                    && initialLogVariance == other.initialLogVariance;
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, loss, activation, from, to, form, initialLogVariance);
        }

        @Override
        public String toString() {
            return name + ": " + loss + ", " + activation + ", columns " + columns() + ", " + form + ", initial s "
                    + initialLogVariance;
        }
    }

    /** Builds an {@link UncertaintyWeightedOutputLayer}; the tasks are checked by {@link #build()}. */
    @SuppressWarnings("unchecked") // build() narrows DL4J's generic <E extends Layer> E build(), as DL4J's builders do
    public static final class Builder extends AbstractSameDiffLayer.Builder<Builder> {
        private long nIn;
        private final List<Task> tasks = new ArrayList<>();
        private IWeightInit weightInit;

        public Builder nIn(long nIn) {
            this.nIn = nIn;
            return this;
        }

        /** Adds a task on columns {@code [from, to)} in the standard form, s starting at 0. */
        public Builder task(String name, TaskLoss loss, Activation activation, int from, int to) {
            return task(Task.of(name, loss, activation, from, to));
        }

        /** Adds a task on columns {@code [from, to)} in the given form, s starting at 0. */
        public Builder task(String name, TaskLoss loss, Activation activation, int from, int to,
                UncertaintyWeightingForm form) {
            return task(Task.of(name, loss, activation, from, to).withForm(form));
        }

        public Builder task(Task task) {
            tasks.add(task);
            return this;
        }

        /** The projection's weight initialisation; default the network's (DL4J's default is Xavier). */
        public Builder weightInit(WeightInit weightInit) {
            this.weightInit = weightInit == null ? null : weightInit.getWeightInitFunction();
            return this;
        }

        public Builder weightInit(IWeightInit weightInit) {
            this.weightInit = weightInit;
            return this;
        }

        @Override
        public UncertaintyWeightedOutputLayer build() {
            return new UncertaintyWeightedOutputLayer(this);
        }
    }
}
