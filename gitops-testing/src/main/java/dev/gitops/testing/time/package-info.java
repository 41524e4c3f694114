/**
 * Virtual time for tests of what schedules: a {@link dev.gitops.testing.time.MutableClock} and a
 * {@link dev.gitops.testing.time.VirtualScheduler} that runs due tasks only when the test advances it.
 *
 * <pre>{@code
 * MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
 * VirtualScheduler scheduler = new VirtualScheduler(clock);
 * scheduler.schedule(task, 5, TimeUnit.MINUTES);
 * scheduler.advance(Duration.ofMinutes(5));   // runs the task on this thread
 * }</pre>
 */
package dev.gitops.testing.time;
