package io.github.losskit.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/** Assertions on the messages of bad-input errors. */
public final class Messages {

    private Messages() {
    }

    /** {@code call} throws an IllegalArgumentException whose message contains every fragment. */
    public static void assertMessage(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment),
                    "message '" + e.getMessage() + "' should contain '" + fragment + "'");
        }
    }
}
