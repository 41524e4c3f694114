package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gitops.model.DesiredState;
import dev.gitops.source.LoaderContract;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link DataKeys} through {@link ManifestLoader}: ConfigMap and Secret keys and sizes the API
 * server refuses (422 at the write of their wave; the mock takes them) are problems at their line.
 */
class DataKeysTest {
  @Test
  void keysThatCannotNameAFileAndAKeyInBothMapsAreProblemsAtTheirLine() {
    List<String> found = Fixtures.loadProblems("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: nginx}
        data:
          conf.d/default.conf: "server {}"
          ..data: x
          mime types: x
          nginx.conf: "events {}"
        binaryData:
          nginx.conf: ZXZlbnRzIHt9
        """);
    assertEquals(List.of(
        "app.yaml:5: ConfigMap/default/nginx: data[\"conf.d/default.conf\"]: not a valid key (1 to 253 letters,"
            + " digits, '-', '_' and '.', not '.' nor beginning with '..'; keys name the files of a mounted volume):"
            + " the API server refuses the object",
        "app.yaml:6: ConfigMap/default/nginx: data[\"..data\"]: not a valid key",
        "app.yaml:7: ConfigMap/default/nginx: data[\"mime types\"]: not a valid key",
        "app.yaml:10: ConfigMap/default/nginx: binaryData[\"nginx.conf\"]: the key is in data too; a key stands in"
            + " one of them: the API server refuses the object"),
        found.stream().map(p -> p.contains(" (1 to") && !p.startsWith("app.yaml:5") ? p.substring(0, p.indexOf(" (1 to"))
            : p).toList());
  }

  @Test
  void valuesOverOneMebibyteAreAProblemSecretDataCountedDecoded() {
    String half = "a".repeat(600 * 1024);
    assertEquals(List.of("app.yaml:1: ConfigMap/default/big: ConfigMap values of 1228800 bytes in all: the API server"
        + " takes at most 1048576 (1 MiB) and refuses the object; keep large files out of ConfigMaps"),
        Fixtures.loadProblems("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata: {a: %s, b: %s}\n"
            .formatted(half, half)));
    String encoded = Base64.getEncoder().encodeToString(new byte[900 * 1024]); // 1.2 MiB as base64, 900 KiB decoded
    DesiredState d = new ManifestLoader().load(LoaderContract.snapshot("app.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata: {name: blob}\ndata: {blob: %s}\nstringData: {blob: x}\n"
            .formatted(encoded)));
    assertEquals(1, d.resources().size(), "a Secret's data counts decoded; stringData may repeat a data key");
  }
}
