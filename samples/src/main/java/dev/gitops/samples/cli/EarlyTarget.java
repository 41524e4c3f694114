package dev.gitops.samples.cli;

import java.nio.file.Path;
import picocli.CommandLine;

/**
 * An {@code ssh://} target connected while the command line is still being set up: the connection,
 * key exchange, authentication and the remote reader's shell start-up (the slowest part of a one-shot
 * command over SSH, root's {@code .bashrc} alone costs 0.5 s on some hosts) begin before picocli has
 * read a single option, instead of after. The arguments are scanned for {@code --target ssh://...},
 * {@code --identity}, {@code --known-hosts} and {@code --ssh-client} of a command that opens its
 * target (with the system's {@code ssh}, the reader's {@code ssh} process is started then, and it
 * becomes the shared connection the command's other commands use); the connection is
 * the one {@link Binding#open} makes (the same known_hosts check, nothing accepted that a later open
 * would refuse), and the command takes it only when the options it parsed name the same target, key,
 * known_hosts and client; otherwise it is closed and the command opens its own. Its {@link #factory(EarlySource)},
 * the picocli factory of the command line, hands it to every {@link TargetOptions} (a class of its own:
 * this one links no picocli class, so the launcher's class-data archive holds it and nothing of picocli
 * is loaded before the connection starts). Not thread-safe (the command line's thread); closing it
 * closes a connection no command took.
 */
public final class EarlyTarget implements AutoCloseable {
  private static final java.util.Set<String> COMMANDS = java.util.Set.of("plan", "push", "pull", "unlock");
  private final String target;
  private final Path identity;
  private final Path knownHosts;
  private final SshClientKind client;
  private final boolean writes;
  private final java.time.Duration persist;
  private Binding binding;

  private EarlyTarget(String target, Path identity, Path knownHosts, SshClientKind client, boolean writes,
                      java.time.Duration persist, Binding binding) {
    this.target = target;
    this.identity = identity;
    this.knownHosts = knownHosts;
    this.client = client;
    this.writes = writes;
    this.persist = persist;
    this.binding = binding;
  }

  /**
   * Starts connecting to the {@code ssh://} target {@code args} name, when they name one with a key
   * and a known_hosts file for a command that opens its target; never throws (whatever fails here is
   * left for the command's own open to report).
   *
   * @param args the command line's arguments
   * @return the early target, holding a connection being made or none
   */
  public static EarlyTarget start(String... args) {
    String command = null;
    String target = null;
    String identity = null;
    String knownHosts = null;
    String client = "auto";
    String persist = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String next = i + 1 < args.length ? args[i + 1] : null;
      String v;
      if (a.equals("--")) {
        break;
      } else if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) {
        return none();
      } else if (command == null && !a.startsWith("-")) {
        command = a;
      } else if ((v = EarlySource.value("--target", a, next)) != null) {
        target = v;
      } else if ((v = EarlySource.value("--identity", a, next)) != null) {
        identity = v;
      } else if ((v = EarlySource.value("--known-hosts", a, next)) != null) {
        knownHosts = v;
      } else if ((v = EarlySource.value("--ssh-client", a, next)) != null) {
        client = v;
      } else if ((v = EarlySource.value("--ssh-persist", a, next)) != null) {
        persist = v;
      }
    }
    if (command == null || !COMMANDS.contains(command) || target == null || !target.startsWith("ssh://") || identity == null
        || knownHosts == null) {
      return none();
    }
    try {
      Path key = Path.of(identity);
      Path hosts = Path.of(knownHosts);
      boolean writes = !command.equals("plan");
      SshClientKind kind = SshClientKind.parse(client).forCommand(writes);
      java.time.Duration keep = persist == null ? Binding.DEFAULT_PERSIST : new Durations().convert(persist);
      Binding b = Binding.open(TargetSpec.parse(target), key, hosts, kind, writes, keep,
          TargetOptions.DEFAULT_NAMESPACE, null);
      return new EarlyTarget(target, key, hosts, kind, writes, keep, b);
    } catch (RuntimeException e) {
      return none(); // the command's own open reports it
    }
  }

  private static EarlyTarget none() {
    return new EarlyTarget(null, null, null, null, true, null, null);
  }

  /**
   * The early connection, when it is to {@code target} with {@code identity}, {@code knownHosts},
   * {@code client} and {@code persist}, opened for a command that writes or not as {@code writes} says
   * (the caller then owns it); otherwise null, and an early connection to anything else is closed.
   */
  Binding take(String target, Path identity, Path knownHosts, SshClientKind client, boolean writes,
               java.time.Duration persist) {
    Binding b = binding;
    binding = null;
    if (b != null && (!this.target.equals(target) || !this.identity.equals(identity)
        || !this.knownHosts.equals(knownHosts) || this.client != client || this.writes != writes
        || !this.persist.equals(persist))) {
      b.close();
      return null;
    }
    return b;
  }

  /** {@return true when a connection was started and no command took it yet} */
  public boolean holdsConnection() {
    return binding != null;
  }

  /**
   * {@return the picocli factory: {@link TargetOptions} get this early target, {@link SourceOptions}
   * {@code source}'s early source, the rest picocli's default}
   */
  public CommandLine.IFactory factory(EarlySource source) {
    return new Factory(this, source);
  }

  private record Factory(EarlyTarget early, EarlySource source) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      if (cls == TargetOptions.class) {
        return cls.cast(new TargetOptions(early));
      }
      if (cls == SourceOptions.class) {
        return cls.cast(new SourceOptions(source));
      }
      return CommandLine.defaultFactory().create(cls);
    }
  }

  /** Closes the early connection when no command took it. */
  @Override
  public void close() {
    if (binding != null) {
      binding.close();
      binding = null;
    }
  }
}
