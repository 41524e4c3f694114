package dev.gitops.k8s;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tag of a container image as the API server reads it when it defaults a pull policy:
 * core/v1 {@code SetDefaults_Container} takes the tag from {@code parsers.ParseImageName} and ignores
 * its error, so an image the reference grammar refuses has no tag (and gets {@code IfNotPresent}),
 * while the server stores it all the same (Pod validation checks only that an image is not blank).
 * {@code ParseImageName} calls distribution/reference's {@code ParseNormalizedNamed}, whose rules
 * this follows:
 *
 * <ul>
 *   <li>64 lowercase hex digits alone are an image id, refused;
 *   <li>the first {@code /}-separated component is the registry when it holds {@code .} or
 *       {@code :}, is {@code localhost} or has upper case; otherwise the registry is
 *       {@code docker.io} (and a single component is under {@code library/});
 *   <li>the repository path (up to a {@code :}) must be lower case;
 *   <li>then the whole reference must match the grammar ({@code regexp.go}: path components of
 *       {@code [a-z0-9]} joined by {@code .}, {@code _}, {@code __} or dashes, a tag of
 *       {@code [\w][\w.-]{0,127}}, a digest), the name be at most 255 characters, and a digest be
 *       a sha256, sha384 or sha512 one of lowercase hex of its length.
 * </ul>
 *
 * A parsed reference without a tag or a digest has the tag {@code latest}; one with a digest
 * only has none. Stateless. Not public API.
 */
final class ImageNames {
  private static final String ALPHANUMERIC = "[a-z0-9]+";
  private static final String PATH_COMPONENT = ALPHANUMERIC + "(?:(?:[._]|__|-+)" + ALPHANUMERIC + ")*";
  private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String DOMAIN = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*"
      + "|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?";
  private static final Pattern REFERENCE = Pattern.compile("(" + DOMAIN + "/" + PATH_COMPONENT
      + "(?:/" + PATH_COMPONENT + ")*)(?::([\\w][\\w.-]{0,127}))?"
      + "(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*):([0-9a-fA-F]{32,}))?");
  private static final Pattern IMAGE_ID = Pattern.compile("[a-f0-9]{64}");
  private static final Pattern LOWER_HEX = Pattern.compile("[a-f0-9]+");
  private static final Map<String, Integer> DIGEST_LENGTHS = Map.of("sha256", 64, "sha384", 96, "sha512", 128);
  private static final int NAME_TOTAL_LENGTH_MAX = 255;

  private ImageNames() {}

  /** The tag {@code ParseImageName} gives {@code image}: {@code ""} when it refuses it or names a digest only. */
  static String tag(String image) {
    if (IMAGE_ID.matcher(image).matches()) {
      return "";
    }
    int slash = image.indexOf('/');
    String first = slash < 0 ? "" : image.substring(0, slash);
    boolean registry = slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost")
        || !first.toLowerCase(Locale.ROOT).equals(first));
    String rest = registry ? image.substring(slash + 1) : image;
    int colon = rest.indexOf(':');
    String path = colon < 0 ? rest : rest.substring(0, colon);
    if (!path.toLowerCase(Locale.ROOT).equals(path)) {
      return "";
    }
    String domain = registry ? (first.equals("index.docker.io") ? "docker.io" : first) : "docker.io";
    String remainder = domain.equals("docker.io") && !rest.contains("/") ? "library/" + rest : rest;
    Matcher m = REFERENCE.matcher(domain + "/" + remainder);
    if (!m.matches() || m.group(1).length() > NAME_TOTAL_LENGTH_MAX || m.group(3) != null && !validDigest(m)) {
      return "";
    }
    return m.group(2) != null ? m.group(2) : m.group(3) != null ? "" : "latest";
  }

  /** go-digest's {@code Parse}: an algorithm the server has, lowercase hex of its length. */
  private static boolean validDigest(Matcher m) {
    Integer length = DIGEST_LENGTHS.get(m.group(3));
    return length != null && m.group(4).length() == length && LOWER_HEX.matcher(m.group(4)).matches();
  }
}
