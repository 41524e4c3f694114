package dev.gitops.source;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;

/**
 * The connection to one remote: ref advertisements (ls-remote) and fetches over one JGit
 * {@link Transport}. When {@code keepOpen}, the transport (and with it an SSH session) is kept
 * between calls, so a poll costs one exec channel instead of a new connection; a kept transport that
 * fails is replaced once. Thread-safe (calls are serialised). Not part of the public API.
 */
final class Remote implements AutoCloseable {
  /** Every branch (forced, so rewritten branches follow the remote) and every tag. */
  public static final List<RefSpec> REFSPECS = List.of(
      new RefSpec("+refs/heads/*:refs/remotes/origin/*"), new RefSpec("+refs/tags/*:refs/tags/*"));

  private final URIish uri;
  private final CredentialsProvider credentials;
  private final SshdSessionFactory ssh;
  private final boolean keepOpen;
  private final int timeoutSeconds;
  private Transport transport;
  private Repository boundTo;

  /**
   * @param uri URL without credentials
   * @param credentials for HTTPS, or null
   * @param ssh session factory for SSH URLs, or null
   * @param keepOpen keep the transport between calls
   * @param timeoutSeconds I/O timeout, 0 for none
   */
  public Remote(URIish uri, CredentialsProvider credentials, SshdSessionFactory ssh, boolean keepOpen,
      int timeoutSeconds) {
    this.uri = uri;
    this.credentials = credentials;
    this.ssh = ssh;
    this.keepOpen = keepOpen;
    this.timeoutSeconds = timeoutSeconds;
  }

  /** The advertised refs, by name; peeled ids are set on annotated tags when the server sends them. */
  public synchronized Map<String, Ref> refs(Repository local) throws IOException {
    return call(local, t -> {
      try (FetchConnection c = t.openFetch()) {
        return c.getRefsMap();
      }
    });
  }

  /** Fetches every branch and tag into {@code local}; {@code depth > 0} makes a shallow fetch. */
  public synchronized void fetch(Repository local, int depth) throws IOException {
    call(local, t -> {
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

  private <T> T call(Repository local, Call<T> call) throws IOException {
    boolean reused = transport != null && boundTo == local;
    if (!reused) {
      close();
      transport = open(local);
      boundTo = local;
    }
    try {
      return call.run(transport);
    } catch (IOException | RuntimeException e) {
      close();
      if (!reused) {
        throw e;
      }
      transport = open(local);
      boundTo = local;
      return call.run(transport);
    } finally {
      if (!keepOpen) {
        close();
      }
    }
  }

  private Transport open(Repository local) throws IOException {
    Transport t = Transport.open(local, uri);
    if (t instanceof SshTransport s && ssh != null) {
      s.setSshSessionFactory(ssh);
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
