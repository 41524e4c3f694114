package dev.gitops.ssh;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.sshd.sftp.client.RawSftpClient;

/**
 * Group commit of SFTP operations on one session. Writers that call at the same time are served
 * together: the first becomes the leader and runs every queued operation stage by stage — the
 * requests of all of them sent back to back, then their answers read — while the others wait for
 * theirs. So a stage of twenty files costs about one round trip and the replies are read by one
 * thread in a row, instead of twenty threads each parking and waking per reply. OpenSSH serves one
 * session's requests in order, so an operation's own dependent requests (a write after its open)
 * still go in separate stages. Thread-safe; not part of the public API.
 */
final class SftpBatch {
  /** One operation of a few dependent stages; each stage sends some requests, then reads their answers. */
  abstract static class Op {
    private IOException failure;
    private boolean done;

    /** Sends the requests of the current stage. */
    abstract void send(RawSftpClient raw) throws IOException;

    /** Reads the answers of the current stage; true when another stage follows. */
    abstract boolean receive(RawSftpClient raw) throws IOException;

    private synchronized void finish(IOException e) {
      failure = e;
      done = true;
      notifyAll();
    }

    private synchronized void await() throws IOException {
      boolean interrupted = false;
      while (!done) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true; // the leader is already sending it: wait for the outcome
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      if (failure != null) {
        throw failure;
      }
    }
  }

  private final RawSftpClient raw;
  private final Deque<Op> queue = new ArrayDeque<>();
  private boolean leading;

  /** @param raw the session */
  SftpBatch(RawSftpClient raw) {
    this.raw = raw;
  }

  /** How many operations wait for the next batch (for tests and diagnostics). */
  synchronized int waiting() {
    return queue.size();
  }

  /** Runs {@code op}, with whatever other operations are queued, and returns when it is done. */
  void run(Op op) throws IOException {
    boolean lead;
    synchronized (this) {
      queue.add(op);
      lead = !leading;
      leading = true;
    }
    if (lead) {
      lead();
    }
    op.await();
  }

  private void lead() {
    while (true) {
      List<Op> batch;
      synchronized (this) {
        if (queue.isEmpty()) {
          leading = false;
          return;
        }
        batch = new ArrayList<>(queue);
        queue.clear();
      }
      runAll(batch);
    }
  }

  private void runAll(List<Op> ops) {
    List<Op> active = ops;
    while (!active.isEmpty()) {
      List<Op> sent = new ArrayList<>();
      for (Op op : active) {
        try {
          op.send(raw);
          sent.add(op);
        } catch (IOException | RuntimeException e) {
          op.finish(io(e));
        }
      }
      List<Op> next = new ArrayList<>();
      for (Op op : sent) {
        try {
          if (op.receive(raw)) {
            next.add(op);
          } else {
            op.finish(null);
          }
        } catch (IOException | RuntimeException e) {
          op.finish(io(e));
        }
      }
      active = next;
    }
  }

  private static IOException io(Exception e) {
    return e instanceof IOException io ? io : new IOException(e.getMessage(), e);
  }
}
