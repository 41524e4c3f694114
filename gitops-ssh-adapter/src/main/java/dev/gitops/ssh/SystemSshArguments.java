package dev.gitops.ssh;

import dev.gitops.security.KnownHosts;
import dev.gitops.security.SshAlgorithms;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The argument vectors of a {@link SystemSshHost}'s {@code ssh} processes, and what their exit status
 * 255 means. Not part of the public API.
 */
final class SystemSshArguments {
  /** The control socket's name in its private folder. */
  static final String SOCKET = "c";
  /**
   * What {@code ssh} prints when a session that was open is lost (OpenSSH's {@code clientloop.c}: the
   * server closed it, a keep-alive went unanswered, a write failed; {@code mux.c}: the shared master
   * went away): the command may have run, unlike a refused connection or login (the same words after
   * {@code kex_exchange_identification} are a connection closed before it was open).
   */
  private static final List<String> LOST = List.of("closed by remote host", "client_loop: ", "not responding",
      "mux_client_", "packet_write_wait");
  /** Compiled on a failure only: a command line's start-up does not pay for it. */
  private static final class Fingerprint {
    static final Pattern PATTERN = Pattern.compile("SHA256:[A-Za-z0-9+/=]+");
    /** ssh's "The fingerprint for the ECDSA key sent by the remote host is". */
    static final Pattern SENT = Pattern.compile("for the (\\S+) key sent by the remote host");
    /** ssh's "Offending ED25519 key in /path/known_hosts:3". */
    static final Pattern OFFENDING = Pattern.compile("Offending (\\S+) key in (\\S.*:\\d+)");
  }
  private final String program;
  private final String host;
  private final int port;
  private final String user;
  /** Everything but the control options, the destination and the command. */
  private final List<String> common;
  private final long persist;

  SystemSshArguments(String program, String host, int port, String user, Path identity, Path knownHosts,
                     Duration connectTimeout, Duration keepAlive, boolean postQuantumFirst, Duration multiplex) {
    this.program = program;
    this.host = host;
    this.port = port;
    this.user = user;
    this.persist = seconds(multiplex);
    List<String> a = new ArrayList<>(List.of("-F", "/dev/null", "-T", "-x", "-a", "-e", "none"));
    option(a, "BatchMode", "yes");
    option(a, "StrictHostKeyChecking", "yes");
    option(a, "UserKnownHostsFile", path(knownHosts));
    option(a, "GlobalKnownHostsFile", "/dev/null");
    option(a, "UpdateHostKeys", "no");
    option(a, "CheckHostIP", "no");
    option(a, "IdentitiesOnly", "yes");
    option(a, "IdentityAgent", "none");
    option(a, "PreferredAuthentications", "publickey");
    option(a, "ConnectTimeout", Long.toString(seconds(connectTimeout)));
    option(a, "ServerAliveInterval", Long.toString(seconds(keepAlive)));
    option(a, "ServerAliveCountMax", "3");
    option(a, "LogLevel", "ERROR");
    List<String> first = SshAlgorithms.keyExchangesFirst(postQuantumFirst);
    if (!first.isEmpty()) {
      option(a, "KexAlgorithms", "^" + String.join(",", first));
    }
    option(a, "Ciphers", String.join(",", SshAlgorithms.cipherNames()));
    a.addAll(List.of("-i", escape(identity.toAbsolutePath().toString()), "-p", Integer.toString(port), "-l", user));
    this.common = List.copyOf(a);
  }

  private static void option(List<String> args, String key, String value) {
    args.add("-o");
    args.add(key + "=" + value);
  }

  /** A path for a config value: {@code %} escaped, double-quoted (a space would split it). */
  private static String path(Path p) {
    String s = p.toAbsolutePath().toString();
    if (s.contains("\"") || s.contains("\\") || s.contains("\n")) {
      throw new IllegalArgumentException("ssh cannot be given a path with '\"', '\\' or a line break: " + s);
    }
    return "\"" + escape(s) + "\"";
  }

  /** {@code %} escaped: ssh expands {@code %} tokens in paths. */
  private static String escape(String path) {
    return path.replace("%", "%%");
  }

  private static long seconds(Duration d) {
    return (d.toMillis() + 999) / 1000;
  }

  /**
   * A digest of every option of the connection (program, options, host; not the command): the name of
   * a control socket that only hosts built alike share.
   */
  String connectionKey() {
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      for (String part : common) {
        sha.update(part.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      sha.update((program + "\0" + host + "\0" + persist).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(sha.digest(), 0, 8); // short: a socket path has 107 bytes
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /**
   * {@code ssh ... -- host LINE}, sharing the connection through {@code socket} (null: not shared): the
   * remote command line is {@link Shell#LINE}, the command the first line of {@code ssh}'s standard
   * input ({@link Shell#header}).
   */
  List<String> command(Path socket) {
    return command(socket, Shell.LINE);
  }

  private List<String> command(Path socket, String line) {
    List<String> a = connection(socket);
    a.add("--");
    a.add(host);
    a.add(line);
    return a;
  }

  /** {@code ssh} and every option up to the destination, sharing the connection through {@code socket} (null: not shared). */
  private List<String> connection(Path socket) {
    List<String> a = new ArrayList<>();
    a.add(program);
    a.addAll(common);
    if (socket == null) {
      option(a, "ControlMaster", "no");
      option(a, "ControlPath", "none");
    } else {
      option(a, "ControlMaster", "auto");
      option(a, "ControlPath", path(socket));
      option(a, "ControlPersist", persist + "s");
    }
    return a;
  }

  /**
   * {@code ssh ... -f -N -- host}: opens the shared connection of {@code socket} and returns once its
   * master listens there (authenticated), running no remote command; when a master already listens,
   * returns at once and opens none.
   */
  List<String> master(Path socket) {
    List<String> a = connection(socket);
    a.addAll(List.of("-f", "-N", "--", host));
    return a;
  }

  /**
   * {@code ssh -v ... true}, not shared: its debug output names the host key, whatever the verdict
   * ({@code true} is the same word in every login shell).
   */
  List<String> diagnostic() {
    List<String> a = command(null, "true");
    a.add(1, "-v");
    return a;
  }

  /** {@code ssh -O exit}: ends the shared connection of {@code socket}. */
  List<String> exit(Path socket) {
    return List.of(program, "-F", "/dev/null", "-o", "ControlPath=" + path(socket),
        "-o", "LogLevel=QUIET", "-O", "exit", "-p", Integer.toString(port), "-l", user, "--", host);
  }

  /**
   * What exit status 255 of {@code ssh} means, from its standard error: a session lost once open
   * ({@link #LOST}: the command may have run), a refused host key
   * ({@code diagnose} then gives {@code ssh -v}'s output, for the fingerprint of an unknown key), else
   * a connection or login failure naming the host; nothing said: a session lost after it opened (its
   * command may have run).
   */
  static RuntimeException failure(String describe, String hostAndPort, Path knownHosts, String stderr,
                                  Supplier<String> diagnose) throws IOException {
    String said = stderr.strip();
    if (said.isEmpty()) {
      throw new IOException(describe + ": ssh ended (exit 255) before the command reported its exit status,"
          + " saying nothing: the connection or its shared master was lost, and the command may have run");
    }
    if (LOST.stream().anyMatch(said::contains) && !said.contains("kex_exchange_identification")) {
      throw new IOException(describe + ": ssh lost the connection (exit 255) before the command reported its exit"
          + " status, and the command may have run: " + said.replace("\r", ""));
    }
    if (!said.contains("Host key verification failed")) {
      throw new IOException(describe + ": ssh could not connect or log in (exit 255): " + said.replace("\r", ""));
    }
    String where = "[" + hostAndPort.replaceFirst(":(\\d+)$", "]:$1");
    Matcher m = Fingerprint.PATTERN.matcher(said);
    String fingerprint = m.find() ? m.group() : null;
    if (said.contains("REVOKED")) {
      return new HostKeyRejectedException(hostAndPort, new KnownHosts.Verdict(KnownHosts.Status.REVOKED,
          fingerprint == null ? "SHA256:?" : fingerprint, "host key of " + where + " is revoked in known_hosts "
          + knownHosts + "; refused"));
    }
    boolean changed = said.contains("HAS CHANGED") || said.contains("has changed");
    Matcher sent = Fingerprint.SENT.matcher(said);
    Matcher offending = Fingerprint.OFFENDING.matcher(said);
    if (changed && fingerprint != null && sent.find() && offending.find()) {
      return new HostKeyRejectedException(hostAndPort, new KnownHosts.Verdict(KnownHosts.Status.CHANGED, fingerprint,
          "host key of " + where + " has CHANGED: it offered " + sent.group(1) + " " + fingerprint
          + ", but known_hosts has another key for it (" + offending.group(1) + " at " + offending.group(2).strip()
          + "); refused (possible man-in-the-middle)"));
    }
    if (fingerprint == null) {
      Matcher d = Fingerprint.PATTERN.matcher(diagnose.get());
      fingerprint = d.find() ? d.group() : "SHA256:?";
    }
    return new HostKeyRejectedException(hostAndPort, fingerprint, changed, knownHosts.toString());
  }
}
