/**
 * The {@code fjord} command, built on picocli: {@link io.fjord.cli.FjordCommand} is the root and
 * lists one class per subcommand. A new subcommand is a class annotated {@code @Command} that
 * implements {@code Callable<Integer>} (the exit code), added to the root's {@code subcommands}.
 *
 * <p>Exit codes: 0 success, 1 the command ran and failed (the message says why), 2 the command
 * line was wrong (usage is printed).
 */
package io.fjord.cli;
