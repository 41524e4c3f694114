package dev.gitops.source;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.eclipse.jgit.errors.NotSupportedException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.BasePackFetchConnection;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.PackTransport;
import org.eclipse.jgit.transport.PushConnection;
import org.eclipse.jgit.transport.TcpTransport;
import org.eclipse.jgit.transport.URIish;

/**
 * Fetching from a {@code git://} daemon over a socket this package opens, used instead of JGit's
 * own {@code git://} transport: that one reads its socket with no socket timeout and counts on
 * interrupting the reading thread, which does not end a blocked socket read on Java 17, so a daemon
 * that stopped answering held a poll for ever, whatever the timeout. Here the socket has the
 * per-read timeout ({@link Socket#setSoTimeout}) and is registered with the call's
 * {@link CallDeadline}, which closes it when the call outlives its limit. Fetch only, protocol
 * version 0 (the daemon advertises its refs at once). Not part of the public API.
 */
final class DaemonTransport extends TcpTransport implements PackTransport {
  private static final int DEFAULT_PORT = 9418;
  private final CallDeadline deadline;

  /**
   * @param local the repository fetched into
   * @param uri a {@code git://} URL
   * @param deadline the bound of the calls made through this transport
   */
  DaemonTransport(Repository local, URIish uri, CallDeadline deadline) {
    super(local, uri);
    this.deadline = deadline;
  }

  @Override
  public FetchConnection openFetch() throws TransportException {
    return new Connection();
  }

  @Override
  public PushConnection openPush() throws NotSupportedException {
    throw new NotSupportedException(uri + ": pushing is not supported");
  }

  @Override
  public void close() {
    // each connection owns its socket
  }

  private final class Connection extends BasePackFetchConnection {
    private final Socket socket = new Socket();

    Connection() throws TransportException {
      super(DaemonTransport.this);
      deadline.track(socket);
      int millis = getTimeout() * 1000;
      int port = uri.getPort() > 0 ? uri.getPort() : DEFAULT_PORT;
      try {
        socket.connect(new InetSocketAddress(uri.getHost(), port), millis);
        socket.setSoTimeout(millis);
        init(new BufferedInputStream(socket.getInputStream()), new BufferedOutputStream(socket.getOutputStream()));
        String host = uri.getHost() + (port == DEFAULT_PORT ? "" : ":" + port);
        pckOut.writeString("git-upload-pack " + uri.getPath() + "\0host=" + host + "\0");
        pckOut.flush();
      } catch (IOException e) {
        close();
        throw new TransportException(uri, "cannot talk to the git daemon: " + e.getMessage(), e);
      }
      try {
        readAdvertisedRefs();
      } catch (TransportException e) {
        close();
        throw e;
      }
    }

    @Override
    public void close() {
      super.close();
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
