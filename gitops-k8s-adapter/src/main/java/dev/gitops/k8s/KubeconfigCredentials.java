package dev.gitops.k8s;

import static dev.gitops.model.ResourceId.escape;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.GitOpsException;
import dev.gitops.model.Problem;
import dev.gitops.source.YamlReader;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.OAuthTokenProvider;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What fabric8 8.0.0 leaves out of a kubeconfig user: its {@code tokenFile}, a file that holds the
 * bearer token (a projected service-account token, a token a sidecar renews). fabric8 never reads
 * it, so a client made from such a kubeconfig sends no credentials at all. {@link #withTokenFile}
 * gives the config a token source that reads the file as kubectl (client-go 1.32) does:
 * <ul>
 *   <li>a relative {@code tokenFile} is resolved against the folder of the kubeconfig file that
 *       holds the user (with {@code KUBECONFIG} naming several files, the first that has it);</li>
 *   <li>the file's content, trimmed, is the token; when the user also has a {@code token}, the file
 *       wins while it can be read and is not blank, and the {@code token} is the fallback (client-go's
 *       {@code NewBearerAuthWithRefreshRoundTripper}; its older documentation said the opposite);</li>
 *   <li>the file is read again for every request fabric8 sends, and again after a 401, when fabric8's
 *       {@code TokenRefreshInterceptor} asks the source once more and sends the request again: a
 *       rotated file is used at once (client-go keeps the content for up to a minute; reading a small
 *       file costs microseconds next to a request);</li>
 *   <li>once read, a file that cannot be read or is blank later (a rotation under way) leaves the last
 *       token in use, with a warning naming the file, as client-go keeps its last token.</li>
 * </ul>
 * No token is printed, logged or put in a message. Thread-safe once made: fabric8 asks the source from
 * any thread.
 *
 * <pre>{@code
 * Config config = KubeconfigCredentials.withTokenFile(Config.fromKubeconfig(null, kubeconfig));
 * KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
 * }</pre>
 */
public final class KubeconfigCredentials {
  private static final Logger LOG = LoggerFactory.getLogger(KubeconfigCredentials.class);

  private KubeconfigCredentials() {}

  /**
   * Gives {@code config} a token source that reads its kubeconfig user's {@code tokenFile}, as this
   * class says; a config whose user has no {@code tokenFile} (or that came from no kubeconfig: in a
   * pod, built in code) is returned untouched.
   *
   * @param config a config loaded from a kubeconfig ({@link Config#fromKubeconfig(String, File)},
   *     {@link Config#autoConfigure(String)}); not null. It is changed (its {@code OAuthTokenProvider}
   *     is set), not copied, so it can go on to fabric8's {@code KubernetesClientBuilder}
   * @return {@code config}
   * @throws GitOpsException naming the kubeconfig file, line and user, and the token file (never its
   *     content), when the user has no {@code token} and the file cannot be read or is blank, or when
   *     the kubeconfig itself cannot be read again
   */
  public static Config withTokenFile(Config config) {
    Objects.requireNonNull(config, "config");
    File kubeconfig = config.getFileWithAuthInfo();
    NamedContext current = config.getCurrentContext();
    if (kubeconfig == null || current == null || current.getContext() == null
        || current.getContext().getUser() == null || current.getContext().getUser().isEmpty()) {
      return config;
    }
    String user = current.getContext().getUser();
    byte[] data;
    try {
      data = Files.readAllBytes(kubeconfig.toPath());
    } catch (IOException e) {
      throw new GitOpsException(kubeconfig + ": cannot read the kubeconfig: " + e.getClass().getSimpleName(), e);
    }
    if (!new String(data, StandardCharsets.UTF_8).contains("tokenFile")) {
      return config; // the common case, and no second reader's view of a file fabric8 already read
    }
    List<Problem> problems = new ArrayList<>();
    List<YamlReader.Document> docs = YamlReader.text().read(kubeconfig.toString(), data, problems);
    if (!problems.isEmpty()) {
      throw new GitOpsException(kubeconfig + ":" + problems.get(0).line() + ": the kubeconfig cannot be read again"
          + " for its users' tokenFile (not shown: the line may hold a credential)");
    }
    JsonNode users = docs.isEmpty() ? null : docs.get(0).tree().path("users");
    for (int i = 0; users != null && i < users.size(); i++) {
      JsonNode entry = users.get(i);
      if (user.equals(entry.path("name").asText(null))) {
        String where = kubeconfig + ":" + docs.get(0).lineOf("/users/" + i) + ": user '" + escape(user) + "'";
        return withTokenFile(config, entry.path("user"), kubeconfig.toPath(), where);
      }
    }
    return config;
  }

  private static Config withTokenFile(Config config, JsonNode user, Path kubeconfig, String where) {
    String tokenFile = user.path("tokenFile").asText("");
    if (tokenFile.isEmpty()) {
      return config;
    }
    String inline = user.path("token").asText("");
    Path folder = kubeconfig.toAbsolutePath().getParent();
    FileToken source = new FileToken(folder.resolve(tokenFile), inline.isEmpty() ? null : inline, where);
    String failure = source.read();
    if (failure != null && source.inline == null) {
      throw new GitOpsException(where + ": tokenFile " + escape(source.file.toString()) + " " + failure
          + " (the user has no token to fall back on)");
    }
    config.setOauthTokenProvider(source);
    return config;
  }

  /** The token of a kubeconfig user's {@code tokenFile}, read on every call. */
  private static final class FileToken implements OAuthTokenProvider {
    private final Path file;
    private final String inline;
    private final String where;
    private volatile String last;
    private volatile boolean failing;

    FileToken(Path file, String inline, String where) {
      this.file = file;
      this.inline = inline;
      this.where = where;
    }

    @Override
    public String getToken() {
      String failure = read();
      if (failure != null && !failing) {
        LOG.warn("{}: tokenFile {} {}; sending {}", where, escape(file.toString()), failure,
            last != null ? "the token read last" : inline != null ? "its token" : "no token");
      }
      failing = failure != null;
      return last != null ? last : inline;
    }

    /** Reads the file into {@link #last}; {@return null, else why it could not, without the content} */
    String read() {
      String token;
      try {
        token = Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        return "cannot be read (" + e.getClass().getSimpleName() + ")";
      }
      if (token.isEmpty()) {
        return "is empty";
      }
      last = token;
      return null;
    }

    @Override
    public String toString() {
      return "FileToken[" + file + "]";
    }
  }
}
