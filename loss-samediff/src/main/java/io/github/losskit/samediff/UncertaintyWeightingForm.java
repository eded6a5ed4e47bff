package io.github.losskit.samediff;

/**
 * How one task enters an uncertainty-weighted total (Kendall, Gal and Cipolla 2018), with s = log sigma^2 the
 * task's learnable log-variance and L its loss. Both forms are smallest at sigma^2 = L; they differ by a factor
 * of 1/2, i.e. in how much the task's gradients count against the other tasks'.
 */
public enum UncertaintyWeightingForm {

    /** exp(-s) L + s: the form most implementations use for every task. */
    STANDARD(1.0),

    /**
     * (exp(-s) L + s) / 2: Kendall's form for a Gaussian likelihood, L / (2 sigma^2) + log sigma, for
     * regression tasks whose loss is a squared error.
     */
    HALVED(0.5);

    private final double factor;

    UncertaintyWeightingForm(double factor) {
        this.factor = factor;
    }

    /** The factor c of c (exp(-s) L + s): 1 or 1/2. */
    public double factor() {
        return factor;
    }
}
