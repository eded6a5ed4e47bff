package io.github.losskit.lab;

/**
 * Bad input the user can fix (a missing file, an unknown column, a non-numeric value, a label with one class):
 * {@link OneLineErrors} prints its message as the one line of the report, without "failed", and exits as for a
 * bad option.
 */
final class InputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InputException(String message) {
        super(message);
    }

    InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
