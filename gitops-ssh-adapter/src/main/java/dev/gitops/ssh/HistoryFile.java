package dev.gitops.ssh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitops.model.ResourceId;
import dev.gitops.target.DeployHistory.Deployment;
import dev.gitops.target.TargetException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The deploy history {@code <root>/.gitops/history.json}, newest first. Not part of the public API. */
final class HistoryFile {
  private static final String FILE = TargetPaths.STATE_DIR + "/history.json";
  private final Host host;
  private final StateDir state;
  private final String target;

  /**
   * @param host the host
   * @param state the state folder {@code <root>/.gitops}
   * @param target the target's description, for messages
   */
  public HistoryFile(Host host, StateDir state, String target) {
    this.host = host;
    this.state = state;
    this.target = target;
  }

  /** Entries, newest first; empty when there is no history. */
  public List<Deployment> read() {
    try {
      List<Deployment> out = new ArrayList<>();
      byte[] data = state.exists() ? state.read("history.json") : null;
      if (data == null) {
        return out;
      }
      JsonNode tree;
      try {
        tree = Inventory.json().readTree(data);
      } catch (IOException e) {
        throw Inventory.notJson(FILE, "a deploy history", e);
      }
      for (JsonNode n : tree.path("deployments")) {
        Instant time;
        try {
          time = Instant.parse(n.path("time").asText());
        } catch (java.time.format.DateTimeParseException e) { // its message quotes the text: not shown
          throw new IOException(FILE + ": deployment " + (out.size() + 1) + " has no valid time (an instant like"
              + " 2026-01-31T12:00:00Z)");
        }
        out.add(new Deployment(n.path("revision").asText(), n.path("ref").asText(""),
            n.path("summary").asText(""), n.path("outcome").asText("failed"), time, n.path("by").asText("")));
      }
      return out;
    } catch (TargetException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new TargetException(null, target + ": cannot read the deploy history: " + ResourceId.escape(String.valueOf(e.getMessage())), true, e);
    }
  }

  /** Prepends {@code entry}, keeping the newest {@code keep}, and replaces the file atomically. */
  public synchronized void record(Deployment entry, int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be at least 1: " + keep);
    }
    List<Deployment> all = new ArrayList<>();
    all.add(entry);
    all.addAll(read());
    ObjectNode root = Inventory.json().createObjectNode();
    ArrayNode list = root.putArray("deployments");
    for (Deployment d : all.subList(0, Math.min(keep, all.size()))) {
      list.addObject().put("revision", d.revision()).put("ref", d.ref()).put("summary", d.summary())
          .put("outcome", d.outcome()).put("time", d.time().toString()).put("by", d.by());
    }
    try {
      state.ensure();
      state.replace("history.json", Inventory.json().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    } catch (IOException e) {
      throw new TargetException(null, target + ": cannot write the deploy history: " + ResourceId.escape(e.getMessage()), true, e);
    }
  }
}
