/**
 * Slow peers for tests of deadlines: {@link dev.gitops.testing.net.Trickle} answers on loopback, or
 * stands in front of a real server, and sends a byte now and then, so that a per-read timeout never
 * fires and only a bound on the whole call ends what waits on it.
 *
 * <pre>{@code
 * try (Trickle server = Trickle.answering("HTTP/1.1 200 OK\r\n\r\n", "{\"items\":[]}", Duration.ofMillis(200))) {
 *   String url = "http://127.0.0.1:" + server.port() + "/";   // the body takes 2.4 s to arrive
 * }
 * }</pre>
 */
package dev.gitops.testing.net;
