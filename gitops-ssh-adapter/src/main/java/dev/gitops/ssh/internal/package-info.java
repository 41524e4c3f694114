/**
 * Helpers of the hosts adapter: the read script and its tar stream, the inventory and its journal,
 * the lock and history files, path checks, SFTP operations, shell quoting, {@code .gitops.yaml}
 * parsing. Not part of the public API: nothing here appears in a public signature.
 *
 * <pre>{@code
 * String line = Shell.join(List.of("sh", "-c", "cd -- \"$1\"", "x", "/srv/my app")); // quoted once
 * }</pre>
 */
package dev.gitops.ssh.internal;
