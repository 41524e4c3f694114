package dev.gitops.k8s;

/**
 * CIDR text as the API server's lenient parser reads it (k8s.io/utils' {@code ParseCIDRSloppy}, Go
 * 1.16's {@code net.ParseCIDR}: an IPv4 address of four decimal fields, each at most 255, leading
 * zeros allowed; {@code /}; a decimal prefix length, at most 32). Newer servers refuse more (leading
 * zeros); this refuses only what every server refuses. No name is ever looked up.
 */
final class Cidr {
  /** What {@link #parse} answers for text every server refuses. */
  static final long[] INVALID = new long[0];
  private static final int IPV4_BITS = 32;
  private static final int OCTET_MAX = 255;

  private Cidr() {
  }

  /**
   * {@code text} as {network, prefix length} when it is an IPv4 CIDR; {@link #INVALID} when every
   * server refuses it (no {@code /}, or no {@code :} and not an IPv4 CIDR); null for IPv6 text, not judged.
   */
  static long[] parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      return INVALID;
    }
    if (text.indexOf(':') >= 0) {
      return null;
    }
    String[] fields = text.substring(0, slash).split("\\.", -1);
    long prefix = decimal(text.substring(slash + 1));
    if (fields.length != 4 || prefix < 0 || prefix > IPV4_BITS) {
      return INVALID;
    }
    long address = 0;
    for (String field : fields) {
      long octet = decimal(field);
      if (octet < 0 || octet > OCTET_MAX) {
        return INVALID;
      }
      address = address << 8 | octet;
    }
    return new long[] {address & mask(prefix), prefix};
  }

  /** True when the network {@code inner} lies inside {@code outer} and is smaller, as {@code ValidateIPBlock} asks. */
  static boolean strictlyInside(long[] inner, long[] outer) {
    return (inner[0] & mask(outer[1])) == outer[0] && outer[1] < inner[1];
  }

  private static long mask(long prefix) {
    return prefix == 0 ? 0 : 0xFFFFFFFFL << (IPV4_BITS - prefix) & 0xFFFFFFFFL;
  }

  /** {@code text} as a number when it is one or more ASCII digits, else -1; large values are 256. */
  private static long decimal(String text) {
    if (text.isEmpty()) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = Math.min(n * 10 + (c - '0'), OCTET_MAX + 1);
    }
    return n;
  }
}
