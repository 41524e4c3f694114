package dev.gitops.k8s.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.InvalidDesiredStateException;
import dev.gitops.model.Origin;
import dev.gitops.model.ResourceId;
import dev.gitops.source.LoaderContract;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small script as the renderer: argument vector, working folder, environment, limits, errors. */
class CommandRendererIT {
  @TempDir Path bin;

  private static final String TEMPLATE = """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: {{ .Values.name }}
      """;

  @Test
  void stdoutLoadsAsManifestsWithArgumentsKeptWholeAndOriginsInTheOutput() throws IOException {
    Path script = Tools.script(bin, "render.sh", """
        printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: web\\ndata:\\n  arg: "%s"\\n  pwd: "%s"\\n  env: "%s"\\n---\\n' \
          "$1" "$(basename "$PWD")" "${SECRET_TOKEN:-unset}-${ALLOWED:-unset}"
        cat values.txt
        """);
    var snapshot = LoaderContract.snapshot("charts/web/values.txt",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n", "charts/web/template.yaml", TEMPLATE);
    DesiredState state = CommandRenderer.of(List.of(script.toString(), "a b; $(id) `id`"))
        .withFolder("charts/web").withEnvironment(Set.of("PATH", "ALLOWED")).load(snapshot);

    assertEquals(2, state.size(), state.toString());
    var config = state.get(ResourceId.of("ConfigMap", "default", "web"));
    var data = ((Content.Tree) config.content()).node().path("data");
    assertEquals("a b; $(id) `id`", data.path("arg").asText(), "one argument, no shell");
    assertEquals("web", data.path("pwd").asText(), "ran in the folder of the private copy");
    assertTrue(data.path("env").asText().startsWith("unset-"), "only allowed variables: " + data);
    assertEquals(new Origin("<render.sh output>", 1), config.origin());
    assertEquals(new Origin("<render.sh output>", 10), state.get(ResourceId.of("Namespace", "", "web")).origin());
  }

  @Test
  void missingToolIsNamedWithTheOption() {
    RenderException e = assertThrows(RenderException.class,
        () -> CommandRenderer.of(List.of(bin.resolve("helm").toString(), "template", ".")).load(LoaderContract.snapshot()));
    assertTrue(e.getMessage().startsWith("helm could not be started"), e.getMessage());
    assertTrue(e.getMessage().contains("--render=command:"), e.getMessage());
  }

  @Test
  void failingToolIsOneProblemQuotingItsStderr() throws IOException {
    Path script = Tools.script(bin, "bad.sh", "echo 'template: web/deploy.yaml:3: bad value' >&2; exit 3");
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> CommandRenderer.of(List.of(script.toString())).load(LoaderContract.snapshot("a.txt", "x")));
    assertEquals(1, e.problems().size());
    assertTrue(e.getMessage().contains("bad.sh exited with status 3: template: web/deploy.yaml:3: bad value"),
        e.getMessage());
  }

  @Test
  void timeoutAndOutputLimitStopTheTool() throws IOException {
    Path slow = Tools.script(bin, "slow.sh", "exec sleep 600");
    RenderException late = assertThrows(RenderException.class, () -> CommandRenderer.of(List.of(slow.toString()))
        .withTimeout(Duration.ofMillis(200)).load(LoaderContract.snapshot()));
    assertTrue(late.getMessage().contains("slow.sh did not finish within 200 ms"), late.getMessage());
    Path loud = Tools.script(bin, "loud.sh", "exec yes");
    RenderException big = assertThrows(RenderException.class, () -> CommandRenderer.of(List.of(loud.toString()))
        .withMaxOutput(10_000).load(LoaderContract.snapshot()));
    assertTrue(big.getMessage().contains("printed more than 10000 bytes"), big.getMessage());
  }

  @Test
  void stderrPastTheOutputLimitStopsTheToolAndIsNeverHeldWhole() throws IOException {
    Path noisy = Tools.script(bin, "noisy.sh", "head -c 50000000 /dev/zero >&2; exit 1");
    RenderException e = assertThrows(RenderException.class, () -> CommandRenderer.of(List.of(noisy.toString()))
        .withMaxOutput(10_000).load(LoaderContract.snapshot()));
    assertTrue(e.getMessage().contains("noisy.sh printed more than 10000 bytes on stderr: stopped"), e.getMessage());
  }

  @Test
  void stderrIsQuotedEscapedAndBounded() throws IOException {
    Path script = Tools.script(bin, "bad.sh", "printf 'bad \\033]0;owned\\007 value\\n' >&2; head -c 200000 /dev/zero"
        + " | tr '\\0' x >&2; exit 1");
    InvalidDesiredStateException e = assertThrows(InvalidDesiredStateException.class,
        () -> CommandRenderer.of(List.of(script.toString())).load(LoaderContract.snapshot("a.txt", "x")));
    String message = e.problems().get(0).message();
    assertTrue(message.startsWith("bad.sh exited with status 1: bad \\x1b]0;owned\\x07 value\\nxxx"), message);
    assertTrue(message.length() < 70_000, "stderr quoted whole: " + message.length());
  }

  @Test
  void renderersParseTheRenderOption() {
    var plain = new dev.gitops.k8s.ManifestLoader();
    assertEquals(plain, Renderers.parse("plain", plain));
    assertTrue(Renderers.parse("kustomize", plain) instanceof KustomizeLoader);
    assertEquals(List.of("helm", "template", "web", "."),
        ((CommandRenderer) Renderers.parse("command:helm template  web .", plain)).command());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Renderers.parse("helm", plain));
    assertTrue(e.getMessage().contains("auto, plain, kustomize or command:"), e.getMessage());
    assertFalse(Renderers.parse("auto", plain) instanceof KustomizeLoader);
  }
}
