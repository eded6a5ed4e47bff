package io.github.losskit.samediff;

import io.github.losskit.core.metric.Contrastive;
import io.github.losskit.core.metric.Distance;
import io.github.losskit.core.metric.Mining;
import io.github.losskit.core.metric.PairMode;
import io.github.losskit.core.metric.Triplet;
import io.github.losskit.core.metric.TripletPenalty;
import java.util.Arrays;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The graphs of the metric losses ({@link Contrastive}, {@link Triplet}) on embeddings [N, D]: the same math and
 * batch conventions as the core and the DL4J adapters, with the mining expressed in graph ops so that labels may
 * be placeholders. Each graph returns the loss's natural mean (over pairs, triplets, anchors or anchor-positive
 * pairs, as the configuration's documentation says), which is DL4J's score {@code computeScore(average = true)}
 * for an unmasked batch.
 *
 * <p>The mining is the core's: argmax/argmin positions (the first of tied entries) turned into 0/1 one-hot masks
 * by comparisons, which carry no gradient. The chosen distances are sums of one value and zeros, so their values
 * are exact, and autodiff sends each chosen triplet's gradient to the distances it used, as the core's analytic
 * backward pass does. Invalid units (an anchor without a positive or a negative) are computed on some finite
 * choice and multiplied by 0. Rows are taken apart with reshapes and constant selection masks, never with strided
 * slices, whose backward pass is wrong for a leading dimension of 1; sums over the embedding dimension are matrix
 * products, because ND4J's reductions fail on a dimension of size 1.
 */
final class MetricGraphs {

    private final SameDiff sd;

    MetricGraphs(SameDiff sd) {
        this.sd = sd;
    }

    // ------------------------------------------------------------------------------------------ contrastive

    /** The mean over pairs of the contrastive loss; see {@link Contrastive}. */
    SDVariable contrastive(String builder, SDVariable labels, SDVariable embeddings, Contrastive config) {
        Inputs in = Inputs.check(builder, labels, embeddings, config);
        if (config.pairs() == PairMode.CONSECUTIVE) {
            in.requireColumn("PairMode.CONSECUTIVE", "the similarity of each pair (1 similar, 0 dissimilar) on both"
                    + " of its rows; for class labels use PairMode.ALL_IN_BATCH");
            in.requireRowsMultipleOf("PairMode.CONSECUTIVE", 2, "pairs rows 2i and 2i+1");
        } else {
            in.requireKnownLabelColumns("PairMode.ALL_IN_BATCH");
        }
        in.checkConstantLabels(labels, config::checkLabels);
        return config.pairs() == PairMode.CONSECUTIVE ? consecutivePairs(in, config) : allPairs(in, config);
    }

    private SDVariable consecutivePairs(Inputs in, Contrastive config) {
        SDVariable[] pair = groupMembers(prepared(config.distance(), in.embeddings()), 2);
        SDVariable d = rowDistances(config.distance(), pair[0], pair[1]);
        // the similarity of a pair is on both of its rows (the core's label check makes them agree): take the first
        SDVariable similar = sd.reshape(in.labels(), -1, 2).mmul(constant(new double[][] {{1}, {0}}, in.type()));
        return pairLosses(config, similar, similar.rsub(1.0), d).mean();
    }

    private SDVariable allPairs(Inputs in, Contrastive config) {
        InBatchMasks masks = inBatchMasks(in);
        SDVariable d = pairwiseDistances(config.distance(), in.embeddings(), masks.offDiagonal());
        SDVariable values = pairLosses(config, masks.positive(), masks.negative(), d);
        // the symmetric matrix holds every pair twice and the off-diagonal count is N (N - 1), twice the pairs
        return sumOverCount(values.sum(), masks.offDiagonal().sum());
    }

    /** y max(0, d - m_pos)^2 + (1 - y) max(0, m_neg - d)^2, with the two 0/1 masks in place of y and 1 - y. */
    private SDVariable pairLosses(Contrastive config, SDVariable similar, SDVariable dissimilar, SDVariable d) {
        SDVariable pull = sd.nn().relu(d.sub(config.positiveMargin()), 0.0);
        SDVariable push = sd.nn().relu(d.rsub(config.margin()), 0.0);
        return pull.mul(pull).mul(similar).add(push.mul(push).mul(dissimilar));
    }

    // ---------------------------------------------------------------------------------------------- triplet

    /** The triplet loss's mean (over triplets, anchors or anchor-positive pairs); see {@link Triplet}. */
    SDVariable triplet(String builder, SDVariable labels, SDVariable embeddings, Triplet config) {
        Inputs in = Inputs.check(builder, labels, embeddings, config);
        if (config.mining() == Mining.CONSECUTIVE) {
            in.requireColumn("Mining.CONSECUTIVE", "[3N, 1] (their values are ignored)");
            in.requireRowsMultipleOf("Mining.CONSECUTIVE", 3, "takes rows 3i, 3i+1, 3i+2 as anchor, positive and"
                    + " negative");
            return consecutiveTriplets(in, config);
        }
        in.requireKnownLabelColumns("Mining." + config.mining());
        in.checkConstantLabels(labels, config::checkLabels);
        InBatchMasks masks = inBatchMasks(in);
        SDVariable d = pairwiseDistances(config.distance(), in.embeddings(), masks.offDiagonal());
        return switch (config.mining()) {
            case BATCH_ALL -> allTriplets(config, d, masks);
            case BATCH_HARD -> hardestTriplets(config, d, masks, in.type());
            case SEMI_HARD -> semiHardTriplets(config, d, masks, in.type());
            case CONSECUTIVE -> throw new IllegalStateException("handled above");
        };
    }

    private SDVariable consecutiveTriplets(Inputs in, Triplet config) {
        Distance distance = config.distance();
        SDVariable[] triplet = groupMembers(prepared(distance, in.embeddings()), 3);
        SDVariable positiveToNegative = config.swap() ? rowDistances(distance, triplet[1], triplet[2]) : null;
        TripletTerms terms = tripletTerms(config, rowDistances(distance, triplet[0], triplet[1]),
                rowDistances(distance, triplet[0], triplet[2]), positiveToNegative);
        return terms.values().mean();
    }

    /** Every (anchor, positive, negative) as [N, N, N] tensors indexed (a, p, n). */
    private SDVariable allTriplets(Triplet config, SDVariable d, InBatchMasks masks) {
        SDVariable valid = withUnitAxis(masks.positive(), 2).mul(withUnitAxis(masks.negative(), 1));
        TripletTerms terms = tripletTerms(config, withUnitAxis(d, 2), withUnitAxis(d, 1),
                config.swap() ? withUnitAxis(d, 0) : null);
        SDVariable values = terms.values().mul(valid);
        // with the hinge the mean is over the triplets with positive loss, with the soft margin over all valid
        SDVariable counted = config.penalty() == TripletPenalty.HINGE
                ? terms.z().gt(0.0).castTo(d.dataType()).mul(valid) : valid;
        return sumOverCount(values.sum(), counted.sum());
    }

    /** Per anchor, its farthest positive and its nearest negative. */
    private SDVariable hardestTriplets(Triplet config, SDVariable d, InBatchMasks masks, DataType type) {
        double far = Distance.beyondAny(type);
        SDVariable valid = masks.positive().max(true, 1).mul(masks.negative().max(true, 1));
        // non-candidates are moved far below (positives) or far above (negatives) every real distance
        SDVariable hardestPositive = extremeOneHot(d.add(masks.positive().sub(1.0).mul(far)), true, 2, masks);
        SDVariable hardestNegative = extremeOneHot(d.sub(masks.negative().sub(1.0).mul(far)), false, 2, masks);
        SDVariable anchorToPositive = d.mul(hardestPositive).sum(true, 1);
        SDVariable anchorToNegative = d.mul(hardestNegative).sum(true, 1);
        SDVariable positiveToNegative = null;
        if (config.swap()) {
            // d(p(a), n(a)): row p(a) of d, picked by the one-hot product, at column n(a). A zero column on both
            // sides keeps the product's operands from being [1, 1] (a batch of one row), where matmul's backward
            // pass fails; sd.gather of row p(a) gave wrong gradients when anchors share a positive
            SDVariable zeroColumn = sd.reshape(masks.index(), -1, 1).mul(0.0);
            positiveToNegative = hardestPositive.mmul(sd.concat(1, d, zeroColumn))
                    .mul(sd.concat(1, hardestNegative, zeroColumn)).sum(true, 1);
        }
        TripletTerms terms = tripletTerms(config, anchorToPositive, anchorToNegative, positiveToNegative);
        return sumOverCount(terms.values().mul(valid).sum(), valid.sum());
    }

    /**
     * Per anchor-positive pair, the nearest negative inside the band d(a,p) &lt; d(a,n) &lt; d(a,p) + margin, else
     * the anchor's nearest negative; candidates as [N, N, N] tensors indexed (a, p, n).
     */
    private SDVariable semiHardTriplets(Triplet config, SDVariable d, InBatchMasks masks, DataType type) {
        double far = Distance.beyondAny(type);
        SDVariable anchorToNegative = withUnitAxis(d, 1);
        SDVariable gap = anchorToNegative.sub(withUnitAxis(d, 2));
        SDVariable band = withUnitAxis(masks.negative(), 1).mul(gap.gt(0.0).castTo(type))
                .mul(gap.lt(config.margin()).castTo(type));
        SDVariable inBand = band.max(true, 2);
        SDVariable nearestInBand = extremeOneHot(band.rsub(1.0).mul(far).add(anchorToNegative), false, 3,
                masks);
        SDVariable nearest = extremeOneHot(masks.negative().rsub(1.0).mul(far).add(d), false, 2, masks);
        // inBand is 0/1, so this blend selects one of the two one-hot rows exactly
        SDVariable chosen = nearestInBand.mul(inBand).add(withUnitAxis(nearest, 1).mul(inBand.rsub(1.0)));
        SDVariable toChosen = chosen.mul(anchorToNegative).sum(2);
        SDVariable positiveToChosen = config.swap() ? chosen.mul(withUnitAxis(d, 0)).sum(2) : null;
        SDVariable valid = masks.positive().mul(masks.negative().max(true, 1));
        TripletTerms terms = tripletTerms(config, d, toChosen, positiveToChosen);
        return sumOverCount(terms.values().mul(valid).sum(), valid.sum());
    }

    /**
     * z = d(a,p) - d'(a,n) (+ margin for the hinge) with d'(a,n) = min(d(a,n), d(p,n)) under swap, and the
     * penalty of z; the distances may have any broadcast-compatible shapes.
     */
    private TripletTerms tripletTerms(Triplet config, SDVariable anchorToPositive, SDVariable anchorToNegative,
            SDVariable positiveToNegative) {
        SDVariable negativeDistance = anchorToNegative;
        if (config.swap()) {
            // a 0/1 blend rather than min(): the value is exactly one of the two, and the gradient goes to the one
            // used (to d(a,n) on ties), as in the core
            SDVariable swapped = positiveToNegative.sub(anchorToNegative).lt(0.0).castTo(anchorToNegative.dataType());
            negativeDistance = anchorToNegative.mul(swapped.rsub(1.0)).add(positiveToNegative.mul(swapped));
        }
        SDVariable z = anchorToPositive.sub(negativeDistance);
        if (config.penalty() == TripletPenalty.HINGE) {
            SDVariable shifted = z.add(config.margin());
            return new TripletTerms(sd.nn().relu(shifted, 0.0), shifted);
        }
        // log(1 + exp(z)) as a stable softplus: finite for any distance gap
        return new TripletTerms(StableOps.softplus(sd, z), z);
    }

    /** @param values the penalties (not yet restricted to valid triplets); @param z their argument */
    private record TripletTerms(SDVariable values, SDVariable z) {
    }

    // ------------------------------------------------------------------------------------------- distances

    /** The rows as the distance needs them: unit rows for the cosine distance, the embeddings otherwise. */
    private SDVariable prepared(Distance distance, SDVariable embeddings) {
        return distance == Distance.COSINE ? unitRows(embeddings) : embeddings;
    }

    /**
     * The distances [n, 1] between row i of a and row i of b, from the differences (exact for nearby points), or
     * 1 - u.v from unit rows for the cosine distance.
     */
    private SDVariable rowDistances(Distance distance, SDVariable a, SDVariable b) {
        if (distance == Distance.COSINE) {
            return rowSums(a.mul(b)).rsub(1.0);
        }
        SDVariable difference = a.sub(b);
        SDVariable squared = rowSums(difference.mul(difference));
        return distance == Distance.SQUARED_EUCLIDEAN ? squared : safeSqrt(squared);
    }

    /**
     * The [N, N] distances from one matrix product: |a|^2 + |b|^2 - 2 a.b clamped at 0 and exactly 0 on the
     * diagonal, or 1 - u_i.u_j from unit rows; see {@link Distance}.
     */
    private SDVariable pairwiseDistances(Distance distance, SDVariable x, SDVariable offDiagonal) {
        if (distance == Distance.COSINE) {
            SDVariable unit = unitRows(x);
            return unit.mmul(sd.transpose(unit)).rsub(1.0).mul(offDiagonal);
        }
        SDVariable squaredNorms = rowSums(x.mul(x));
        SDVariable expansion = x.mmul(sd.transpose(x)).mul(-2.0).add(squaredNorms).add(sd.transpose(squaredNorms));
        // the expansion cancels and can dip below 0 for (near-)equal rows: clamp at 0, with zero gradient where
        // clamped, as the core does (a relu would pass a gradient at exactly 0)
        SDVariable positive = expansion.gt(0.0).castTo(x.dataType()).mul(offDiagonal);
        SDVariable squared = expansion.mul(positive);
        return distance == Distance.SQUARED_EUCLIDEAN ? squared : safeSqrt(squared);
    }

    /**
     * sqrt(s) for s &gt;= 0 with derivative 0 at s = 0 (the core's subgradient of |a - b| at a = b). Autodiff of
     * sqrt at 0 is 1 / 0 = inf, and inf times the zero gradient of a clamped entry is NaN; shifting exact zeros to
     * sqrt(1) and multiplying by 0 there gives the value 0 and a zero, finite derivative. s &gt; 0 is unchanged.
     */
    private SDVariable safeSqrt(SDVariable s) {
        SDVariable isZero = s.eq(0.0).castTo(s.dataType());
        return sd.math().sqrt(s.add(isZero)).mul(isZero.rsub(1.0));
    }

    /**
     * Rows scaled to unit length; a row whose squared norm is 0 (also by underflow) stays 0, so it is at cosine
     * distance 1 from everything and gets zero gradient. Its norm is computed as sqrt(1) instead of sqrt(0), whose
     * derivative would be infinite (see {@link #safeSqrt}).
     */
    private SDVariable unitRows(SDVariable x) {
        SDVariable squaredNorms = rowSums(x.mul(x));
        SDVariable isZero = squaredNorms.eq(0.0).castTo(x.dataType());
        return x.mul(isZero.rsub(1.0)).div(sd.math().sqrt(squaredNorms.add(isZero)));
    }

    /**
     * The sums along dimension 1 of [n, D] as [n, 1], as a product with a ones column [D, 1] (D read from the
     * graph at run time): ND4J's reductions along a dimension of size 1 throw a NullPointerException, and
     * one-dimensional embeddings are valid.
     */
    private SDVariable rowSums(SDVariable matrix) {
        SDVariable columnShape = sd.concat(0, sd.reshape(sd.sizeAt(matrix, 1), 1),
                sd.constant(Nd4j.createFromArray(1L)));
        return matrix.mmul(sd.fill(columnShape, matrix.dataType(), 1.0));
    }

    /**
     * The members of consecutive groups of k rows, each [N / k, D]: member j holds rows k i + j. A reshape to
     * [N / k, k, D] (D read from the graph at run time, so that it need not be known while building) and a constant
     * 0/1 mask over the middle axis, summed out: a selection without strided slices.
     */
    private SDVariable[] groupMembers(SDVariable rows, int k) {
        SDVariable groupShape = sd.concat(0, sd.constant(Nd4j.createFromArray(-1L, k)),
                sd.reshape(sd.sizeAt(rows, 1).castTo(DataType.LONG), 1));
        SDVariable groups = sd.reshape(rows, groupShape);
        SDVariable[] members = new SDVariable[k];
        for (int j = 0; j < k; j++) {
            double[] select = new double[k];
            select[j] = 1;
            members[j] = groups.mul(sd.constant(Nd4j.createFromArray(select).castTo(rows.dataType())
                    .reshape(1, k, 1))).sum(1);
        }
        return members;
    }

    // -------------------------------------------------------------------------------------------- mining

    /**
     * @param positive    [N, N] 0/1: i != j and the same class
     * @param negative    [N, N] 0/1: different classes
     * @param offDiagonal [N, N] 0 on the diagonal, 1 elsewhere
     * @param index       [N]: 0, 1, ..., N - 1 in the embeddings' data type
     */
    private record InBatchMasks(SDVariable positive, SDVariable negative, SDVariable offDiagonal, SDVariable index) {
    }

    /** Which rows share a class, from class ids [N, 1] (equality) or one-hot rows [N, K] (their products). */
    private InBatchMasks inBatchMasks(Inputs in) {
        DataType type = in.type();
        SDVariable labels = in.labels();
        SDVariable same = in.labelColumns() == 1
                ? labels.sub(sd.transpose(labels)).eq(0.0).castTo(type)
                : labels.mmul(sd.transpose(labels));
        // sd.math().eye fails op validation with a size from the graph; compare row and column indices instead
        SDVariable index = sd.range(sd.constant(0L), sd.sizeAt(in.embeddings(), 0), sd.constant(1L), type);
        SDVariable offDiagonal = sd.reshape(index, -1, 1).sub(sd.reshape(index, 1, -1)).neq(0.0).castTo(type);
        return new InBatchMasks(same.mul(offDiagonal), same.rsub(1.0), offDiagonal, index);
    }

    /**
     * A [N, N] matrix as [1, N, N], [N, 1, N] or [N, N, 1] (a unit axis inserted at {@code axis}), with N read from
     * the graph at run time. A reshape rather than sd.expandDims, which returns an all-ones shape unchanged in
     * ND4J 1.0.0-M2.1 ([1, 1] stays [1, 1] for a batch of one row).
     */
    private SDVariable withUnitAxis(SDVariable square, int axis) {
        SDVariable n = sd.reshape(sd.sizeAt(square, 0), 1);
        SDVariable one = sd.constant(Nd4j.createFromArray(1L));
        SDVariable shape = switch (axis) {
            case 0 -> sd.concat(0, one, n, n);
            case 1 -> sd.concat(0, n, one, n);
            default -> sd.concat(0, n, n, one);
        };
        return sd.reshape(square, shape);
    }

    /**
     * One-hot of the position of the maximum (or minimum) along the last dimension of [N, N] or [N, N, N]
     * candidates, keeping the rank. argmax/argmin take the first of tied entries, as the core does, so that tied
     * distances (duplicated embeddings) still select one entry: a one-hot from equality with the extreme would
     * select every tied entry and add their distances. The position is compared with the index along the last
     * dimension through a difference, because arithmetic broadcasts where array comparisons may not.
     *
     * @param rank 2 or 3; op outputs have no shape while the graph is built, so the caller says which
     */
    private SDVariable extremeOneHot(SDVariable candidates, boolean maximum, int rank, InBatchMasks masks) {
        int last = rank - 1;
        DataType type = masks.index().dataType();
        SDVariable position = (maximum ? sd.argmax(candidates, true, last) : sd.argmin(candidates, true, last))
                .castTo(type);
        SDVariable alongLast = last == 1 ? sd.reshape(masks.index(), 1, -1) : sd.reshape(masks.index(), 1, 1, -1);
        return position.sub(alongLast).eq(0.0).castTo(type);
    }

    /**
     * total / count, and 0 when the count is 0 (an empty mean contributes nothing). The total is then 0 too, so
     * dividing by count + [count == 0] suffices, and it keeps the gradient finite where a division by 0 would not.
     */
    private static SDVariable sumOverCount(SDVariable total, SDVariable count) {
        return total.div(count.add(count.eq(0.0).castTo(count.dataType())));
    }

    private SDVariable constant(double[][] values, DataType type) {
        return sd.constant(Nd4j.createFromArray(values).castTo(type));
    }

    // ------------------------------------------------------------------------------------------ arguments

    /**
     * The checked arguments of one builder call: labels cast to the embeddings' data type, and their shapes as far
     * as the graph knows them while it is built (-1 or null: unknown until run).
     */
    private record Inputs(String builder, SDVariable labels, SDVariable embeddings, long[] labelsShape,
            long[] embeddingsShape) {

        static Inputs check(String builder, SDVariable labels, SDVariable embeddings, Object config) {
            requireNonNull(builder, "labels", labels);
            requireNonNull(builder, "embeddings", embeddings);
            requireNonNull(builder, "config", config);
            DataType type = embeddings.dataType();
            if (type == null || !type.isFPType()) {
                throw new IllegalArgumentException(builder + ": embeddings must be floating point, got " + type);
            }
            long[] labelsShape = labels.getShape();
            long[] embeddingsShape = embeddings.getShape();
            requireRank2(builder, "embeddings", "[minibatch, D]", embeddingsShape);
            requireRank2(builder, "labels", "[minibatch, 1] or [minibatch, K]", labelsShape);
            long labelRows = dimension(labelsShape, 0);
            long embeddingRows = dimension(embeddingsShape, 0);
            if (labelRows >= 0 && embeddingRows >= 0 && labelRows != embeddingRows) {
                throw new IllegalArgumentException(builder + ": labels have " + labelRows + " rows but embeddings"
                        + " have " + embeddingRows + " (labels shape " + describe(labelsShape) + ", embeddings shape "
                        + describe(embeddingsShape) + ")");
            }
            SDVariable typedLabels = labels.dataType() == type ? labels : labels.castTo(type);
            return new Inputs(builder, typedLabels, embeddings, labelsShape, embeddingsShape);
        }

        DataType type() {
            return embeddings.dataType();
        }

        long labelColumns() {
            return dimension(labelsShape, 1);
        }

        private String shapes() {
            return "labels shape " + describe(labelsShape) + ", embeddings shape " + describe(embeddingsShape);
        }

        void requireColumn(String mode, String meaning) {
            long columns = labelColumns();
            if (columns >= 0 && columns != 1) {
                throw new IllegalArgumentException(builder + ": " + mode + " takes labels [minibatch, 1], " + meaning
                        + "; got " + shapes());
            }
        }

        void requireRowsMultipleOf(String mode, int k, String why) {
            long rows = Math.max(dimension(labelsShape, 0), dimension(embeddingsShape, 0));
            if (rows >= 0 && rows % k != 0) {
                throw new IllegalArgumentException(builder + ": " + mode + " " + why + ", so the minibatch needs a"
                        + " multiple of " + k + " rows; got " + rows + " (" + shapes() + ")");
            }
        }

        /** Class ids [N, 1] and one-hot rows [N, K] build different graphs, so K must be known while building. */
        void requireKnownLabelColumns(String mode) {
            if (labelColumns() < 0) {
                throw new IllegalArgumentException(builder + ": " + mode + " takes class ids [minibatch, 1] or"
                        + " one-hot rows [minibatch, K], and the graph differs between the two: give labels whose"
                        + " number of columns is known while the graph is built, e.g. a placeholder of shape"
                        + " [-1, 1] or [-1, K] (" + shapes() + ")");
            }
        }

        /** The core's label check on labels whose values the graph holds while it is built: constants. */
        void checkConstantLabels(SDVariable original, LabelCheck check) {
            if (original.getVariableType() != VariableType.CONSTANT || original.getArr() == null) {
                return;
            }
            INDArray values = original.getArr();
            DataType type = type();
            INDArray typed = values.dataType() == type ? values : values.castTo(type);
            check.check(builder, typed, Nd4j.ones(type, typed.size(0), 1));
        }

        private static void requireNonNull(String builder, String argument, Object value) {
            if (value == null) {
                throw new IllegalArgumentException(builder + ": " + argument + " must not be null");
            }
        }

        private static void requireRank2(String builder, String argument, String expected, long[] shape) {
            if (shape != null && shape.length != 2) {
                throw new IllegalArgumentException(builder + ": " + argument + " must be 2-D " + expected + ", got"
                        + " shape " + Arrays.toString(shape));
            }
        }

        private static long dimension(long[] shape, int index) {
            return shape == null ? -1 : shape[index];
        }

        private static String describe(long[] shape) {
            return shape == null ? "unknown until run" : Arrays.toString(shape);
        }
    }

    /** A core configuration's {@code checkLabels(lossName, labels, kept)}. */
    @FunctionalInterface
    private interface LabelCheck {
        void check(String lossName, INDArray labels, INDArray kept);
    }
}
