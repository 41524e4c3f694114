package dev.gitops.testing.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A peer on 127.0.0.1 that sends slowly: after what it sends at once, one byte every interval, so a
 * per-read timeout never fires. Either it answers every connection itself ({@link #answering}), or
 * it stands in front of a real server ({@link #proxy}) and passes both ways at full speed until told
 * to trickle what the server sends ({@link #trickleAfter}). One daemon thread per connection and
 * direction; {@link #close()} closes every connection. Thread-safe.
 */
public final class Trickle implements AutoCloseable {
  private final ServerSocket listener;
  private final Duration every;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger talking = new AtomicInteger();
  private volatile String marker;

  private Trickle(Duration every) throws IOException {
    this.every = every;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  }

  /**
   * A server that answers each connection with {@code head} at once, then {@code body} one byte per
   * {@code every}, then nothing (the connection stays open); what the client sends is read and dropped.
   *
   * @param head sent at once, e.g. an HTTP status line and headers (ISO-8859-1)
   * @param body sent a byte at a time (UTF-8)
   * @param every the pause before each byte of the body
   * @return the listening server
   * @throws IOException when no port can be bound
   */
  public static Trickle answering(String head, String body, Duration every) throws IOException {
    Trickle t = new Trickle(every);
    byte[] first = head.getBytes(StandardCharsets.ISO_8859_1);
    byte[] slow = body.getBytes(StandardCharsets.UTF_8);
    t.accept(client -> {
      Thread reader = t.thread(() -> drain(client.getInputStream()));
      OutputStream out = client.getOutputStream();
      out.write(first);
      out.flush();
      t.slowly(slow, 0, slow.length, out);
      reader.join(); // open until the client closes
    });
    return t;
  }

  /**
   * A proxy to {@code 127.0.0.1:port} that passes both ways at full speed; see {@link #trickleAfter}.
   *
   * @param port the real server's port on loopback
   * @param every the pause before each byte it trickles
   * @return the listening proxy
   * @throws IOException when no port can be bound
   */
  public static Trickle proxy(int port, Duration every) throws IOException {
    Trickle t = new Trickle(every);
    t.accept(client -> {
      try (Socket server = new Socket(InetAddress.getLoopbackAddress(), port)) {
        t.open.add(server);
        StringBuilder sent = new StringBuilder();
        t.thread(() -> t.upstream(client.getInputStream(), server.getOutputStream(), sent));
        t.downstream(server.getInputStream(), client.getOutputStream(), sent);
      }
    });
    return t;
  }

  /**
   * From now on, a connection of the proxy trickles what the server sends once its client has sent
   * {@code text} (say {@code "want "}, a Git fetch asking for objects); {@code ""} trickles every
   * connection from its next bytes on (an SSH session, encrypted, after its handshake); null passes
   * everything at full speed again.
   *
   * @param text what the client sends before the server's answer slows down, or null
   */
  public void trickleAfter(String text) {
    this.marker = text;
  }

  /** {@return the port it listens on} */
  public int port() {
    return listener.getLocalPort();
  }

  /** {@return how many connections it accepted} */
  public int connections() {
    return connections.get();
  }

  /**
   * {@return how many connections are still served: a connection the client gave up ends here at
   * the next byte it is sent, when that write fails}
   */
  public int talking() {
    return talking.get();
  }

  /** Stops listening and closes every connection. */
  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : open) {
      s.close();
    }
  }

  private interface Work {
    void run() throws IOException, InterruptedException;
  }

  private interface Conversation {
    void run(Socket client) throws IOException, InterruptedException;
  }

  private void accept(Conversation conversation) {
    thread(() -> {
      while (!listener.isClosed()) {
        Socket client = listener.accept();
        connections.incrementAndGet();
        talking.incrementAndGet();
        open.add(client);
        thread(() -> {
          try (client) {
            conversation.run(client);
          } finally {
            talking.decrementAndGet();
          }
        });
      }
    });
  }

  private Thread thread(Work work) {
    Thread t = new Thread(() -> {
      try {
        work.run();
      } catch (IOException | InterruptedException e) {
        // the peer or the test closed the connection
      }
    }, "trickle-" + port());
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void upstream(InputStream in, OutputStream out, StringBuilder sent) throws IOException {
    byte[] buf = new byte[8192];
    for (int n; (n = in.read(buf)) >= 0; ) {
      synchronized (sent) {
        sent.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
      }
      out.write(buf, 0, n);
      out.flush();
    }
  }

  private void downstream(InputStream in, OutputStream out, StringBuilder sent)
      throws IOException, InterruptedException {
    byte[] buf = new byte[8192];
    for (int n; (n = in.read(buf)) >= 0; ) {
      String text = marker;
      boolean slow;
      synchronized (sent) {
        slow = text != null && sent.indexOf(text) >= 0;
      }
      if (slow) {
        slowly(buf, 0, n, out);
      } else {
        out.write(buf, 0, n);
        out.flush();
      }
    }
  }

  private void slowly(byte[] data, int from, int to, OutputStream out) throws IOException, InterruptedException {
    for (int i = from; i < to; i++) {
      Thread.sleep(every.toMillis());
      out.write(data[i]);
      out.flush();
    }
  }

  private static void drain(InputStream in) throws IOException {
    byte[] buf = new byte[8192];
    while (in.read(buf) >= 0) {
      // dropped
    }
  }
}
