package dev.gitops.k8s.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.Problem;
import dev.gitops.model.ResourceId;
import dev.gitops.model.Snapshot;
import dev.gitops.source.YamlReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** What the loader reads in kustomization files itself: where they are, what they refer to. */
final class Kustomizations {
  /** The file names Kustomize recognises, in the order it looks for them. */
  static final List<String> NAMES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");
  /** Fields whose entries name other files, folders or (remote) kustomizations. */
  private static final List<String> REFERENCES = List.of("resources", "bases", "components",
      "generators", "transformers", "validators", "crds");
  /** Fields whose file entries are plug-in configurations, which load files of their own. */
  private static final Set<String> PLUGINS = Set.of("generators", "transformers", "validators");
  static final String ORIGIN = "config.kubernetes.io/origin";

  private Kustomizations() {}

  /** The kustomization file of {@code folder} ({@code ""} for the root), or null. */
  static String in(Snapshot snapshot, String folder) {
    for (String name : NAMES) {
      String path = join(folder, name);
      if (snapshot.file(path) != null) {
        return path;
      }
    }
    return null;
  }

  /** True when {@code path}'s file name is one Kustomize reads as a kustomization. */
  static boolean isKustomization(String path) {
    return NAMES.contains(path.substring(path.lastIndexOf('/') + 1));
  }

  /**
   * Every reference of the kustomization in {@code folder}, and of those it reaches, that is not a
   * file or folder of the snapshot: what Kustomize would fetch from the network.
   */
  static List<Problem> remoteReferences(Snapshot snapshot, String folder) {
    return walk(snapshot, folder).remote();
  }

  /**
   * What the kustomization in a folder reaches.
   *
   * @param remote every reference that is not a file or folder of the snapshot
   * @param folders the folders of every kustomization reached, the first one's included: with the
   *     root-only load restrictor, Kustomize reads no file outside them
   * @param files every local file a kustomization lists (those outside its folder too)
   */
  record Reach(List<Problem> remote, Set<String> folders, Set<String> files) {
    /** True when Kustomize may read {@code path}: it is inside one of the folders, or listed. */
    boolean reads(String path) {
      if (folders.contains("") || files.contains(path)) {
        return true;
      }
      for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
        if (folders.contains(path.substring(0, slash))) {
          return true;
        }
      }
      return false;
    }
  }

  /** Walks the kustomization in {@code folder} and every local one it refers to. */
  static Reach walk(Snapshot snapshot, String folder) {
    List<Problem> problems = new ArrayList<>();
    Set<String> folders = new TreeSet<>();
    Set<String> files = new TreeSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(folder));
    Set<String> pluginFolders = new HashSet<>(); // whose resources are plug-in configurations
    Set<String> seen = new HashSet<>();
    Set<String> configs = new HashSet<>();
    while (!todo.isEmpty()) {
      String dir = todo.pop();
      boolean plugins = pluginFolders.contains(dir);
      String file = in(snapshot, dir);
      folders.add(dir);
      if (file == null || !seen.add(file)) {
        continue;
      }
      byte[] data = snapshot.file(file).data();
      RemoteFiles.inKustomization(file, data, problems);
      for (YamlReader.Document doc : YamlReader.typed().read(file, data, problems)) {
        for (String field : referenceFields(doc.tree())) {
          JsonNode list = doc.tree().path(field);
          for (int i = 0; i < list.size(); i++) {
            if (!list.get(i).isTextual()) {
              continue;
            }
            String entry = list.get(i).asText();
            int line = doc.lineOf("/" + field + "/" + i);
            if (isPluginField(field) && InlinePlugins.check(file, data, line, field, i, entry, problems)) {
              continue; // a configuration written in place, which Kustomize tries before a path
            }
            String local = normalize(dir, entry);
            if (local == null || !exists(snapshot, local)) {
              problems.add(new Problem(file, line, null, field + " entry '" + ResourceId.escape(entry)
                  + "' is not a file or folder of the repository" + (isPluginField(field) ? " nor a plug-in"
                  + " configuration written in place (resources with a kind and a metadata.name)" : "")
                  + ": remote bases and resources are refused (KustomizeLoader.allowingRemote() allows them)"));
            } else if (snapshot.file(local) == null) {
              todo.push(local); // a folder: Kustomize reads it as a kustomization root of its own
              if (plugins || isPluginField(field)) {
                pluginFolders.add(local);
              }
            } else {
              files.add(local); // outside its folder Kustomize refuses it, in its own words
              if ((plugins || isPluginField(field)) && configs.add(local)) {
                RemoteFiles.inPluginConfig(local, snapshot.file(local).data(), problems);
              }
            }
          }
        }
      }
    }
    return new Reach(problems, folders, files);
  }

  /**
   * The fields of the kustomization {@code root} that Kustomize reads as one of {@link #REFERENCES}:
   * Go's {@code encoding/json}, under sigs.k8s.io/yaml, matches a field name in any case
   * ({@code Resources:} and {@code CRDS:} are read and fetched as {@code resources:} and
   * {@code crds:}), so every spelling is walked.
   */
  private static List<String> referenceFields(JsonNode root) {
    List<String> fields = new ArrayList<>();
    for (var it = root.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (isReferenceField(name)) {
        fields.add(name);
      }
    }
    return fields;
  }

  /** True when Kustomize reads the kustomization field {@code name} as one of {@link #REFERENCES}. */
  static boolean isReferenceField(String name) {
    return REFERENCES.stream().anyMatch(name::equalsIgnoreCase);
  }

  private static boolean isPluginField(String field) {
    return PLUGINS.stream().anyMatch(field::equalsIgnoreCase);
  }

  /**
   * The kustomization at {@code file} with {@code originAnnotations} added to its
   * {@code buildMetadata}, as the same text with one entry inserted: Kustomize reads every scalar
   * of it as it would read the file alone (as YAML 1.1, where {@code on} and {@code y} are booleans,
   * {@code 0o10} is 8 and a key {@code on:} is no string), where a copy re-serialised from our tree
   * would carry our reading of them. Null when it asks for origin annotations already, cannot be
   * read or is empty (Kustomize then reports what is wrong with it), or lays out its root or its
   * {@code buildMetadata} so that no insertion reads back as the same kustomization plus the entry.
   */
  static byte[] withOriginAnnotations(Snapshot snapshot, String file) {
    byte[] data = snapshot.file(file).data();
    List<YamlReader.Document> docs = YamlReader.typed().read(file, data, new ArrayList<>());
    if (docs.size() != 1 || !(docs.get(0).tree() instanceof ObjectNode node) || node.isEmpty()) {
      return null; // an empty kustomization is an error of Kustomize's, which the entry would hide
    }
    JsonNode meta = node.get("buildMetadata");
    if (meta != null && !meta.isArray()) {
      return null;
    }
    ObjectNode expected = node.deepCopy();
    ArrayNode list = meta == null ? expected.putArray("buildMetadata") : (ArrayNode) expected.get("buildMetadata");
    for (JsonNode m : list) {
      if ("originAnnotations".equals(m.asText())) {
        return null;
      }
    }
    list.insert(0, "originAnnotations");
    String text = new String(data, StandardCharsets.UTF_8);
    List<String> edits = meta == null ? OriginEdits.withKey(text, docs.get(0).line())
        : OriginEdits.withEntry(text, docs.get(0).lineOf("/buildMetadata"), meta.isEmpty());
    for (String edited : edits) {
      byte[] bytes = edited.getBytes(StandardCharsets.UTF_8);
      List<YamlReader.Document> back = YamlReader.typed().read(file, bytes, new ArrayList<>());
      if (back.size() == 1 && back.get(0).tree().equals(expected)) {
        return bytes;
      }
    }
    return null;
  }

  /** {@code dir/name}, or {@code name} when {@code dir} is the root. */
  static String join(String dir, String name) {
    return dir.isEmpty() ? name : dir + "/" + name;
  }

  /** {@code rel} resolved against {@code dir}, {@code ""} for the root; null when it leaves the root. */
  static String normalize(String dir, String rel) {
    if (rel.isEmpty() || rel.startsWith("/") || rel.contains("://") || rel.contains("\\")) {
      return null;
    }
    Deque<String> parts = new ArrayDeque<>();
    for (String s : (dir.isEmpty() ? rel : dir + "/" + rel).split("/")) {
      if (s.isEmpty() || s.equals(".")) {
        continue;
      }
      if (s.equals("..")) {
        if (parts.isEmpty()) {
          return null;
        }
        parts.removeLast();
      } else {
        parts.addLast(s);
      }
    }
    return String.join("/", parts);
  }

  private static boolean exists(Snapshot snapshot, String path) {
    if (path.isEmpty() || snapshot.file(path) != null) {
      return true;
    }
    String under = snapshot.files().ceilingKey(path + "/");
    return under != null && under.startsWith(path + "/");
  }
}
