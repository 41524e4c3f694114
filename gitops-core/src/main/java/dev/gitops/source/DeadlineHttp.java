package dev.gitops.source;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import org.eclipse.jgit.transport.HttpTransport;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.HttpConnectionFactory2;
import org.eclipse.jgit.transport.http.JDKHttpConnection;
import org.eclipse.jgit.transport.http.JDKHttpConnectionFactory;

/**
 * JGit's JDK HTTP connections, each registered with the running call's {@link CallDeadline}: JGit
 * hides the {@link HttpURLConnection} inside its {@link JDKHttpConnection}, and only its
 * {@link HttpURLConnection#disconnect()} ends a read blocked on it (interrupting the reading thread
 * does not). The connection is opened through a {@link URLStreamHandler} of this class, which sees it
 * first. Everything else (TLS settings, proxies, redirects) is JGit's own. Not part of the public API.
 */
final class DeadlineHttp implements HttpConnectionFactory2 {
  private final CallDeadline deadline;
  private final JDKHttpConnectionFactory sessions = new JDKHttpConnectionFactory();
  private final URLStreamHandler handler = new URLStreamHandler() {
    @Override
    protected URLConnection openConnection(URL url) throws IOException {
      return openConnection(url, null);
    }

    @Override
    protected URLConnection openConnection(URL url, Proxy proxy) throws IOException {
      URL plain = new URL(url.toExternalForm()); // the JDK's own handler for http and https
      URLConnection c = proxy == null ? plain.openConnection() : plain.openConnection(proxy);
      if (c instanceof HttpURLConnection http) {
        deadline.track(http::disconnect);
      }
      return c;
    }
  };

  private DeadlineHttp(CallDeadline deadline) {
    this.deadline = deadline;
  }

  /**
   * A factory for one remote's HTTP transports, or null when JGit was given another connection
   * factory than its JDK one (then that one is used, bounded per read only).
   */
  static DeadlineHttp of(CallDeadline deadline) {
    return HttpTransport.getConnectionFactory().getClass() == JDKHttpConnectionFactory.class
        ? new DeadlineHttp(deadline) : null;
  }

  @Override
  public HttpConnection create(URL url) throws IOException {
    return new Connection(new URL(null, url.toExternalForm(), handler));
  }

  @Override
  public HttpConnection create(URL url, Proxy proxy) throws IOException {
    return new Connection(new URL(null, url.toExternalForm(), handler), proxy);
  }

  @Override
  public GitSession newSession() {
    return sessions.newSession();
  }

  /** JGit's connection, opened through the handler (JGit's sessions configure it as their own). */
  private static final class Connection extends JDKHttpConnection {
    Connection(URL url) throws IOException {
      super(url);
    }

    Connection(URL url, Proxy proxy) throws IOException {
      super(url, proxy);
    }
  }
}
