package io.github.losskit.lab;

/** A lab command whose last run can be shown in the report page. */
interface LabCommand {

    /** The human-readable summary of the last successful run, or null before one. */
    Doc document();
}
