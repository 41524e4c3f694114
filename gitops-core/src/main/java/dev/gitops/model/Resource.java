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

  /**
   * Validates and copies.
   *
   * @param id identity; not null
   * @param content what the resource holds; not null
   * @param origin where it was declared; null becomes {@link Origin#UNKNOWN}
   * @param extraAnnotations loader-given annotations; copied into an unmodifiable map, not null
   */
  public Resource {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(content, "content");
    origin = Objects.requireNonNullElse(origin, Origin.UNKNOWN);
    extraAnnotations = Map.copyOf(new TreeMap<>(extraAnnotations));
  }

  /**
   * A resource with no extra annotations.
   *
   * @param id identity; not null
   * @param content what the resource holds; not null
   * @param origin where it was declared; null becomes {@link Origin#UNKNOWN}
   * @return the resource
   */
  public static Resource of(ResourceId id, Content content, Origin origin) {
    return new Resource(id, content, origin, Map.of());
  }

  /**
   * A resource read from a target (origin unknown).
   *
   * @param id identity; not null
   * @param content what the target holds; not null
   * @return the resource, at {@link Origin#UNKNOWN}
   */
  public static Resource of(ResourceId id, Content content) {
    return of(id, content, Origin.UNKNOWN);
  }

  /** {@return {@code metadata.labels} of a tree, unmodifiable; empty for files and unlabelled trees} */
  public Map<String, String> labels() {
    return metadataMap("labels", Map.of());
  }

  /**
   * {@return {@code metadata.annotations} of a tree plus {@link #extraAnnotations()}, unmodifiable;
   * on a clash the tree's value wins}
   */
  public Map<String, String> annotations() {
    return metadataMap("annotations", extraAnnotations);
  }

  /**
   * This resource with other content.
   *
   * @param newContent the content to hold instead; not null
   * @return a copy with the same id, origin and extra annotations
   */
  public Resource withContent(Content newContent) {
    return new Resource(id, newContent, origin, extraAnnotations);
  }

  /**
   * This resource with other extra annotations.
   *
   * @param annotations loader-given annotations that replace the current extra ones (not merged)
   * @return a copy with the same id, content and origin
   */
  public Resource withAnnotations(Map<String, String> annotations) {
    return new Resource(id, content, origin, annotations);
  }

  /**
   * This resource at another origin.
   *
   * @param newOrigin where it was declared; null becomes {@link Origin#UNKNOWN}
   * @return a copy with the same id, content and annotations (and so equal to this one)
   */
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
