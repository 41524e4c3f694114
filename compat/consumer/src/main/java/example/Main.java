package example;

import example.readme.InMemoryExample;
import example.readme.PullExample;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * A consumer of gitops that uses only the README's coordinates and runs the README's examples
 * (generated into example.readme and example.k8s by compat/readme_examples.py).
 *
 * <p>Arguments: a work directory, then {@code k8s} to run the push example too (against the mock
 * API server whose URL is in the {@code kubernetes.master} system property). Exit code 0 when every
 * example did what the README says.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    boolean k8s = args.length > 1 && args[1].equals("k8s");

    String memory = InMemoryExample.run();
    String plan = "Plan: 1 to create, 0 to update, 1 to delete, 0 to adopt.";
    expect(plan + "|" + plan + "|[File//etc/app.conf]", memory, "in-memory example");
    System.out.println("consumer: in-memory example ok");

    Path siteRepo = repo(work.resolve("site"), "hosts/web/index.html", "<h1>hello</h1>\n");
    Path root = Files.createDirectories(work.resolve("srv-site"));
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread agent = new Thread(() -> {
      try {
        PullExample.run(siteRepo.toString(), root);
      } catch (InterruptedException stopped) {
        // the README's "until the process stops"
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "readme-pull-agent");
    agent.start();
    Path index = root.resolve("index.html");
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    while (!(Files.exists(index) && Files.readString(index).equals("<h1>hello</h1>\n"))) {
      if (failure.get() != null || !agent.isAlive() || Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("pull example: " + index + " never appeared", failure.get());
      }
      Thread.sleep(50);
    }
    agent.interrupt();
    agent.join(Duration.ofSeconds(60).toMillis());
    if (agent.isAlive() || failure.get() != null) {
      throw new IllegalStateException("pull example: the agent did not stop cleanly", failure.get());
    }
    System.out.println("consumer: pull example ok (" + index + " written by the agent)");

    if (k8s) {
      Path manifests = repo(work.resolve("manifests"), "web.yaml", """
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: web
            namespace: default
          data:
            greeting: hello
          """);
      System.out.println("consumer: push example against " + System.getProperty("kubernetes.master"));
      Class.forName("example.k8s.PushExample").getMethod("run", String.class, String.class)
          .invoke(null, manifests.toString(), "main");   // exits 0 when the deploy succeeded
      throw new IllegalStateException("push example returned instead of exiting");
    }
  }

  private static Path repo(Path dir, String file, String text) throws Exception {
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      Path f = dir.resolve(file);
      Files.createDirectories(f.getParent());
      Files.writeString(f, text, StandardCharsets.UTF_8);
      git.add().addFilepattern(".").call();
      PersonIdent me = new PersonIdent("Consumer", "consumer@example.com");
      git.commit().setMessage("first").setAuthor(me).setCommitter(me).call();
    }
    return dir;
  }

  private static void expect(String expected, String actual, String what) {
    if (!expected.equals(actual)) {
      throw new IllegalStateException(what + ": expected " + expected + " but got " + actual);
    }
  }
}
