/**
 * The benchmarks' shared harness: the goal line every benchmark prints, and where the fixtures are.
 *
 * <p>{@code Goal.ofMillis("no-op deploy 1000 files", 412.0, "rsync", 330.0, 1.5).print();}
 * prints {@code no-op deploy 1000 files: 412.0 ms vs rsync 330.0 ms = 1.25x (goal <= 1.5x) PASS}.
 */
package dev.gitops.benchmarks;
