package dev.gitops.source;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteSession;
import org.eclipse.jgit.transport.SshSessionFactory;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.util.FS;

/**
 * The connection to one remote: ref advertisements (ls-remote) and fetches over one JGit
 * {@link Transport}. When {@code keepOpen}, the transport (and with it an SSH session) is kept
 * between calls, so a poll costs one exec channel instead of a new connection; a kept transport that
 * fails is replaced once. Each call (an ls-remote or a fetch, connecting and that one retry included)
 * is bounded as a whole by its {@link CallDeadline}: past it, the connections it opened are closed and
 * it fails with a {@link TransportException} saying what timed out. A fetch cut short leaves the
 * cache as it was (JGit writes a pack under a temporary name and moves refs last). Thread-safe (calls
 * are serialised). Not part of the public API.
 */
final class Remote implements AutoCloseable {
  /** Every branch (forced, so rewritten branches follow the remote) and every tag. */
  public static final List<RefSpec> REFSPECS = List.of(
      new RefSpec("+refs/heads/*:refs/remotes/origin/*"), new RefSpec("+refs/tags/*:refs/tags/*"));

  private final URIish uri;
  private final CredentialsProvider credentials;
  private final SshSessionFactory ssh;
  private final boolean keepOpen;
  private final int timeoutSeconds;
  private final CallDeadline deadline;
  private final DeadlineHttp http;
  private Transport transport;
  private Repository boundTo;

  /**
   * @param uri URL without credentials
   * @param credentials for HTTPS, or null
   * @param ssh session factory for SSH URLs, or null
   * @param keepOpen keep the transport between calls
   * @param timeoutSeconds I/O timeout of each read, 0 for none
   * @param callTimeout the longest one call may take as a whole; positive
   */
  public Remote(URIish uri, CredentialsProvider credentials, SshdSessionFactory ssh, boolean keepOpen,
      int timeoutSeconds, Duration callTimeout) {
    this.uri = uri;
    this.credentials = credentials;
    this.keepOpen = keepOpen;
    this.timeoutSeconds = timeoutSeconds;
    this.deadline = new CallDeadline(callTimeout);
    this.ssh = ssh == null ? null : tracking(ssh, deadline);
    this.http = DeadlineHttp.of(deadline);
  }

  /** {@code ssh}'s sessions, each closed with the call's connections when the call expires. */
  private static SshSessionFactory tracking(SshdSessionFactory ssh, CallDeadline deadline) {
    return new SshSessionFactory() {
      @Override
      public RemoteSession getSession(URIish at, CredentialsProvider c, FS fs, int tms) throws TransportException {
        RemoteSession session = ssh.getSession(at, c, fs, tms);
        deadline.track(session::disconnect); // one that connects after the deadline is closed at once
        return session;
      }

      @Override
      public String getType() {
        return ssh.getType();
      }

      @Override
      public void releaseSession(RemoteSession session) {
        ssh.releaseSession(session);
      }
    };
  }

  /** The advertised refs, by name; peeled ids are set on annotated tags when the server sends them. */
  public synchronized Map<String, Ref> refs(Repository local) throws IOException {
    return call(local, "ls-remote", t -> {
      try (FetchConnection c = t.openFetch()) {
        return c.getRefsMap();
      }
    });
  }

  /** Fetches every branch and tag into {@code local}; {@code depth > 0} makes a shallow fetch. */
  public synchronized void fetch(Repository local, int depth) throws IOException {
    call(local, "fetch", t -> {
      if (depth > 0) {
        t.setDepth(depth);
      }
      t.fetch(NullProgressMonitor.INSTANCE, (Collection<RefSpec>) REFSPECS);
      return null;
    });
  }

  @Override
  public synchronized void close() {
    if (transport != null) {
      transport.close();
      transport = null;
    }
  }

  private interface Call<T> {
    T run(Transport t) throws IOException;
  }

  private <T> T call(Repository local, String what, Call<T> call) throws IOException {
    deadline.start();
    try {
      return attempt(local, call);
    } catch (IOException | RuntimeException e) {
      if (deadline.expired()) {
        throw timedOut(what, e);
      }
      throw e;
    } finally {
      if (deadline.stop() || !keepOpen) {
        close(); // an expired call's connection was cut: never kept
      }
    }
  }

  private <T> T attempt(Repository local, Call<T> call) throws IOException {
    boolean reused = transport != null && boundTo == local;
    if (!reused) {
      close();
      transport = open(local);
      boundTo = local;
    }
    try {
      return call.run(tracked(transport));
    } catch (IOException | RuntimeException e) {
      close();
      if (!reused || deadline.expired()) {
        throw e;
      }
      transport = open(local);
      boundTo = local;
      return call.run(tracked(transport));
    }
  }

  /** {@code t}, closed with the call's connections when the call expires (an SSH session with it). */
  private Transport tracked(Transport t) {
    deadline.track(t::close);
    return t;
  }

  private TransportException timedOut(String what, Exception cause) {
    return new TransportException(uri, what + " did not finish within " + deadline.limit()
        + " (the source's callTimeout): the connection was closed", cause);
  }

  private Transport open(Repository local) throws IOException {
    Transport t = "git".equals(uri.getScheme()) ? new DaemonTransport(local, uri, deadline) : Transport.open(local, uri);
    if (t instanceof SshTransport s && ssh != null) {
      s.setSshSessionFactory(ssh);
    }
    if (t instanceof TransportHttp h && http != null) {
      h.setHttpConnectionFactory(http);
    }
    if (credentials != null) {
      t.setCredentialsProvider(credentials);
    }
    t.setTagOpt(TagOpt.NO_TAGS);
    t.setRemoveDeletedRefs(true);
    t.setTimeout(timeoutSeconds);
    return t;
  }
}
