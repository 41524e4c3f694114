package dev.gitops.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One resource: its id, its content and where it was declared.
 *
 * <p>Labels and annotations come from {@code metadata.labels} and {@code metadata.annotations} of a
 * tree; files have none unless a loader gives them some ({@link #withAnnotations(Map)}). Two
 * annotations steer the plan: {@value #WAVE} (an integer; lower waves apply first) and
 * {@value #DEPENDS_ON} (comma-separated ids, in {@link ResourceId}'s printed form, that must be
 * applied before this resource).
 *
 * <p>Equality is over id, content and extra annotations, not origin. Immutable and thread-safe.
 *
 * @param id identity
 * @param content what the resource holds
 * @param origin where it was declared ({@link Origin#UNKNOWN} for actual resources)
 * @param extraAnnotations annotations given by a loader beside those in the content (files)
 */
public record Resource(ResourceId id, Content content, Origin origin,
                       Map<String, String> extraAnnotations) {
  /** Annotation naming the resource's wave, an integer. */
  public static final String WAVE = "gitops.dev/wave";
  /** Annotation listing ids this resource depends on, comma separated. */
  public static final String DEPENDS_ON = "gitops.dev/depends-on";

  /** Validates and copies. */
  public Resource {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(content, "content");
    origin = Objects.requireNonNullElse(origin, Origin.UNKNOWN);
    extraAnnotations = Map.copyOf(new TreeMap<>(extraAnnotations));
  }

  /** A resource with no extra annotations. */
  public static Resource of(ResourceId id, Content content, Origin origin) {
    return new Resource(id, content, origin, Map.of());
  }

  /** A resource read from a target (origin unknown). */
  public static Resource of(ResourceId id, Content content) {
    return of(id, content, Origin.UNKNOWN);
  }

  /** {@code metadata.labels} of a tree; empty for files. */
  public Map<String, String> labels() {
    return metadataMap("labels", Map.of());
  }

  /** {@code metadata.annotations} of a tree plus {@link #extraAnnotations()}. */
  public Map<String, String> annotations() {
    return metadataMap("annotations", extraAnnotations);
  }

  /** This resource with other content. */
  public Resource withContent(Content newContent) {
    return new Resource(id, newContent, origin, extraAnnotations);
  }

  /** This resource with other extra annotations. */
  public Resource withAnnotations(Map<String, String> annotations) {
    return new Resource(id, content, origin, annotations);
  }

  /** This resource at another origin. */
  public Resource withOrigin(Origin newOrigin) {
    return new Resource(id, content, newOrigin, extraAnnotations);
  }

  private Map<String, String> metadataMap(String field, Map<String, String> extra) {
    if (!(content instanceof Content.Tree tree)) {
      return extra;
    }
    JsonNode map = tree.node().path("metadata").path(field);
    if (!map.isObject() || map.isEmpty()) {
      return extra;
    }
    Map<String, String> out = new TreeMap<>(extra);
    map.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return Map.copyOf(out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Resource r && id.equals(r.id) && content.equals(r.content)
        && extraAnnotations.equals(r.extraAnnotations);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, content, extraAnnotations);
  }

  /** Id and origin; never the content. */
  @Override
  public String toString() {
    return id + " (" + origin + ")";
  }
}
