package io.github.losskit.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per-element loss values and their derivatives with respect to the loss input, both of the input's shape.
 * Either is {@code null} when the {@link Need} did not ask for it. The arrays are fresh: the caller may
 * modify them in place.
 */
public record ElementwiseTerms(INDArray values, INDArray derivatives) {
}
