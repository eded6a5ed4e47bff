package io.github.losskit.lab;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports a bad command line or a failed run as one line on stderr. Picocli's defaults print the whole usage
 * or a stack trace, which buries the one fact the user needs; {@code -Dlosskit.stacktrace=true} brings the
 * stack trace back for debugging the lab itself.
 */
final class OneLineErrors implements IParameterExceptionHandler, IExecutionExceptionHandler {

    static final String STACK_TRACE_PROPERTY = "losskit.stacktrace";

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine commandLine = ex.getCommandLine();
        String command = commandLine.getCommandSpec().qualifiedName();
        String suggestion = "";
        if (ex instanceof UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                suggestion = "; did you mean " + String.join(" or ", suggestions) + "?";
            }
        }
        commandLine.getErr().println(oneLine(command + ": " + ex.getMessage() + suggestion + " (see '" + command
                + " --help')"));
        return commandLine.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        if (Boolean.getBoolean(STACK_TRACE_PROPERTY)) {
            ex.printStackTrace(commandLine.getErr());
        }
        if (ex instanceof InputException) {
            // the user's data, not the lab, is at fault: say what is wrong with it, as for a bad option
            commandLine.getErr().println(oneLine(commandLine.getCommandSpec().qualifiedName() + ": "
                    + ex.getMessage()));
            return commandLine.getCommandSpec().exitCodeOnInvalidInput();
        }
        commandLine.getErr().println(oneLine(commandLine.getCommandSpec().qualifiedName() + " failed: "
                + describe(ex)));
        return commandLine.getCommandSpec().exitCodeOnExecutionException();
    }

    /** The exception's message and, when it adds something, its root cause's. */
    private static String describe(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String description = messageOf(ex);
        if (root != ex && !description.contains(messageOf(root))) {
            description += " (cause: " + messageOf(root) + ")";
        }
        return description;
    }

    private static String messageOf(Throwable ex) {
        return ex.getMessage() == null || ex.getMessage().isBlank() ? ex.getClass().getName() : ex.getMessage();
    }

    private static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
