package dev.gitops.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelListener;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * MINA SSHD's embedded server on 127.0.0.1 with a generated host key, one generated ed25519 user key,
 * SFTP, and exec as OpenSSH's {@code sshd} runs it: {@code <login shell> -c <command line>}, the login
 * shell {@code sh} unless {@link #loginShell(String)} says another. Stop it with {@link #close()}.
 */
final class MinaServer implements AutoCloseable {
  final SshServer server;
  final Path dir;
  final SftpSubsystemFactory sftp = new SftpSubsystemFactory();
  /** The account's login shell, which runs every exec request's command line. */
  private volatile String shell = "sh";
  /** Whether a command's exit status waits for the client's close (so that it is never sent). */
  private volatile boolean statusAfterClose;

  private MinaServer(SshServer server, Path dir) {
    this.server = server;
    this.dir = dir;
  }

  static MinaServer start(Path dir) throws Exception {
    Files.createDirectories(dir);
    KeyPair user = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
    try (OutputStream out = Files.newOutputStream(dir.resolve("user_key"))) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(user, "test", null, out);
    }
    Files.setPosixFilePermissions(dir.resolve("user_key"), PosixFilePermissions.fromString("rw-------")); // for ssh
    SshServer s = SshServer.setUpDefaultServer();
    s.setHost("127.0.0.1");
    s.setPort(0);
    s.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(dir.resolve("host_key.ser")));
    PublicKey allowed = user.getPublic();
    s.setPublickeyAuthenticator((name, key, session) -> KeyUtils.compareKeys(allowed, key));
    MinaServer m = new MinaServer(s, dir);
    s.setSubsystemFactories(List.of(m.sftp));
    s.setCommandFactory((channel, command) -> new ShellCommand(m.shell, command, m.statusAfterClose));
    s.start();
    return m;
  }

  int port() {
    return server.getPort();
  }

  Path userKey() {
    return dir.resolve("user_key");
  }

  Path knownHosts() throws Exception {
    KeyPair host = server.getKeyPairProvider().loadKeys(null).iterator().next();
    Path file = dir.resolve("known_hosts");
    Files.writeString(file, "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(host.getPublic()) + "\n");
    return file;
  }

  SshHost.Builder client() throws Exception {
    return SshHost.builder().host("127.0.0.1").port(port()).user("tester").identity(userKey(), null)
        .knownHosts(knownHosts());
  }

  /** The same login through the system's OpenSSH client ({@link SystemSshHost}). */
  SystemSshHost.Builder systemClient() throws Exception {
    return SystemSshHost.builder().host("127.0.0.1").port(port()).user("tester").identity(userKey())
        .knownHosts(knownHosts());
  }

  /** Runs the commands of later exec requests as {@code shell -c COMMAND}, as if it were the account's shell. */
  void loginShell(String shell) {
    this.shell = shell;
  }

  /**
   * With {@code late}, later commands end as MINA's {@code ChannelSession.closeShell} ends them when the
   * client's close comes between its end of output and its exit status: the output ends (EOF), then the
   * exit status waits for the client to close the channel (at most 10 s), and MINA sends none once it
   * did. A client that closes as soon as both streams ended (OpenSSH's {@code ssh} over a shared
   * connection) then never gets one; one that waits for the server's close gets it after 10 s.
   */
  void statusAfterClose(boolean late) {
    this.statusAfterClose = late;
  }

  void onSftp(SftpEventListener listener) {
    sftp.addSftpEventListener(listener);
  }

  /** Drops every connection, as a network failure would. */
  void dropAll() {
    server.getActiveSessions().forEach(session -> session.close(true));
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }

  /** Runs an exec request as {@code SHELL -c COMMAND} in a local process. */
  private static final class ShellCommand implements Command {
    private final String shell;
    private final String command;
    private final boolean statusAfterClose;
    private final CountDownLatch clientClosed = new CountDownLatch(1);
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private Process process;

    ShellCommand(String shell, String command, boolean statusAfterClose) {
      this.shell = shell;
      this.command = command;
      this.statusAfterClose = statusAfterClose;
    }

    @Override public void setInputStream(InputStream stream) { in = stream; }
    @Override public void setOutputStream(OutputStream stream) { out = stream; }
    @Override public void setErrorStream(OutputStream stream) { err = stream; }
    @Override public void setExitCallback(ExitCallback callback) { exit = callback; }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
      channel.addChannelListener(new ChannelListener() {
        @Override
        public void channelStateChanged(Channel c, String hint) {
          if ("SSH_MSG_CHANNEL_CLOSE".equals(hint)) {
            clientClosed.countDown();
          }
        }

        @Override
        public void channelClosed(Channel c, Throwable reason) {
          clientClosed.countDown();
        }
      });
      process = new ProcessBuilder(shell, "-c", command).start();
      Thread feed = pump(in, process.getOutputStream(), true);
      Thread errors = pump(process.getErrorStream(), err, false);
      Thread runner = new Thread(() -> {
        try {
          copy(process.getInputStream(), out);
          errors.join();
          int code = process.waitFor();
          feed.interrupt();
          if (statusAfterClose) {
            Buffer eof = channel.getSession().createBuffer(SshConstants.SSH_MSG_CHANNEL_EOF, Integer.BYTES);
            eof.putUInt(channel.getRecipient());
            channel.writePacket(eof); // as closeShell sends it, first (its own sendEof is not ours to call)
            awaitClientClose(channel);
          }
          exit.onExit(code);
        } catch (IOException | InterruptedException e) {
          exit.onExit(255, e.getMessage());
        }
      }, "mina-exec");
      runner.setDaemon(true);
      runner.start();
    }

    /**
     * Waits for the client's close, at most 10 s; an ignored message every 100 ms wakes a client that
     * waits for input before it looks at its channels again (OpenSSH's does).
     */
    private void awaitClientClose(ChannelSession channel) throws IOException, InterruptedException {
      for (int i = 0; i < 100 && !clientClosed.await(100, TimeUnit.MILLISECONDS); i++) {
        channel.getSession().sendIgnoreMessage();
      }
    }

    private static Thread pump(InputStream from, OutputStream to, boolean closeTo) {
      Thread t = new Thread(() -> {
        try {
          copy(from, to);
        } catch (IOException e) {
          // the other side went away
        } finally {
          if (closeTo) {
            try {
              to.close();
            } catch (IOException e) {
              // already closed
            }
          }
        }
      }, "mina-pump");
      t.setDaemon(true);
      t.start();
      return t;
    }

    /** Copies until the end, flushing each read: a long-running command's requests and answers never wait in a buffer. */
    private static void copy(InputStream from, OutputStream to) throws IOException {
      byte[] buf = new byte[32 * 1024];
      for (int n = from.read(buf); n >= 0; n = from.read(buf)) {
        to.write(buf, 0, n);
        to.flush();
      }
    }

    @Override
    public void destroy(ChannelSession channel) {
      if (process != null) {
        process.destroy();
      }
    }
  }
}
