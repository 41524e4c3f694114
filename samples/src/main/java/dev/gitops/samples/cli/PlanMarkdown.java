package dev.gitops.samples.cli;

import dev.gitops.model.Resource;
import dev.gitops.model.ResourceId;
import dev.gitops.plan.Action;
import dev.gitops.plan.Plan;
import dev.gitops.plan.Wave;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code plan --format markdown}: a plan as a pull-request comment (GitHub and GitLab flavoured
 * Markdown) — the summary, a table of counts, one collapsible section per step with its diff
 * (sensitive values masked, as in every rendering of a plan), and a Mermaid graph of the waves and
 * the depends-on edges between steps. Large plans stay under a comment's size limit: diffs past
 * {@value #DIFF_BUDGET} characters and graph nodes past {@value #GRAPH_LIMIT} are left out, saying so.
 */
final class PlanMarkdown {
  /** Characters of diffs at most (GitHub refuses comments over 65,536 characters). */
  static final int DIFF_BUDGET = 50_000;
  /** Steps drawn in the graph at most. */
  static final int GRAPH_LIMIT = 100;

  private PlanMarkdown() {}

  static String render(Plan plan) {
    StringBuilder md = new StringBuilder();
    md.append("### gitops plan: ").append(plan.summary().replaceFirst("^Plan: ", "")).append("\n\n");
    if (!plan.revision().isEmpty()) {
      md.append("Revision `").append(plan.revision()).append("`, owner `").append(plan.owner()).append("`\n\n");
    }
    md.append("| action | steps |\n|---|---:|\n");
    plan.counts().forEach((kind, n) -> {
      if (kind != Action.Kind.NOOP) {
        md.append("| ").append(kind.sign()).append(' ').append(kind.word()).append(" | ").append(n).append(" |\n");
      }
    });
    md.append("| = unchanged | ").append(plan.counts().get(Action.Kind.NOOP)).append(" |\n\n");
    if (plan.isEmpty()) {
      md.append("No changes.\n");
      return md.toString();
    }
    steps(md, plan);
    graph(md, plan);
    return md.toString();
  }

  private static void steps(StringBuilder md, Plan plan) {
    int budget = DIFF_BUDGET;
    int left = 0;
    for (Wave w : plan.waves()) {
      if (w.isEmpty()) {
        continue;
      }
      md.append("#### Wave ").append(w.index()).append("\n\n");
      for (Action a : w.actions()) {
        if (a.kind() == Action.Kind.NOOP) {
          continue;
        }
        String from = PlanViews.from(a);
        String head = a.kind().sign() + " " + a.kind().word() + " <code>" + html(a.id().toString()) + "</code>"
            + (from.isEmpty() ? "" : " from <code>" + html(from.substring(6)) + "</code>");
        List<String> diff = PlanViews.diff(plan, w, a);
        String body = String.join("\n", diff);
        if (diff.isEmpty()) {
          md.append("- ").append(head).append('\n');
        } else if (body.length() > budget) {
          left++;
          md.append("- ").append(head).append(" (diff left out: the comment would be too long)\n");
        } else {
          budget -= body.length();
          PlanViews.Stat stat = PlanViews.Stat.of(diff);
          md.append("<details><summary>").append(head).append(" (+").append(stat.added()).append(" -")
              .append(stat.removed()).append(")</summary>\n\n````diff\n").append(body)
              .append("\n````\n\n</details>\n");
        }
      }
      md.append('\n');
    }
    if (left > 0) {
      md.append("_").append(left).append(" diffs left out; the job's log has the whole plan._\n\n");
    }
  }

  /** Waves as subgraphs in order; an edge from each step to those that depend on it. */
  private static void graph(StringBuilder md, Plan plan) {
    Map<ResourceId, String> nodes = new LinkedHashMap<>();
    md.append("```mermaid\nflowchart TD\n");
    String previous = null;
    for (Wave w : plan.waves()) {
      if (w.isEmpty() || nodes.size() >= GRAPH_LIMIT) {
        continue;
      }
      String wave = "w" + w.index();
      md.append("  subgraph ").append(wave.replace('-', 'm')).append("[\"wave ").append(w.index()).append("\"]\n");
      for (Action a : w.actions()) {
        if (a.kind() != Action.Kind.NOOP && nodes.size() < GRAPH_LIMIT) {
          String node = "s" + nodes.size();
          nodes.put(a.id(), node);
          md.append("    ").append(node).append("[\"").append(a.kind().sign()).append(' ')
              .append(mermaid(a.id().toString())).append("\"]\n");
        }
      }
      md.append("  end\n");
      if (previous != null) {
        md.append("  ").append(previous).append(" --> ").append(wave.replace('-', 'm')).append('\n');
      }
      previous = wave.replace('-', 'm');
    }
    for (Action a : plan.changes()) {
      String to = nodes.get(a.id());
      for (ResourceId dep : dependsOn(a)) {
        String from = nodes.get(dep);
        if (from != null && to != null) {
          md.append("  ").append(from).append(" -.->|depends-on| ").append(to).append('\n');
        }
      }
    }
    md.append("```\n");
    if (nodes.size() < plan.changes().size()) {
      md.append("\n_The graph shows the first ").append(nodes.size()).append(" of ")
          .append(plan.changes().size()).append(" steps._\n");
    }
  }

  private static List<ResourceId> dependsOn(Action a) {
    Optional<Resource> desired = switch (a.kind()) {
      case CREATE -> Optional.of(((Action.Create) a).desired());
      case UPDATE -> Optional.of(((Action.Update) a).desired());
      case ADOPT -> Optional.of(((Action.Adopt) a).desired());
      default -> Optional.empty();
    };
    String list = desired.map(r -> r.annotations().get(Resource.DEPENDS_ON)).orElse(null);
    if (list == null || list.isBlank()) {
      return List.of();
    }
    return java.util.Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .flatMap(s -> {
          try {
            return java.util.stream.Stream.of(ResourceId.parse(s));
          } catch (IllegalArgumentException e) {
            return java.util.stream.Stream.empty();
          }
        }).toList();
  }

  private static String html(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String mermaid(String text) {
    return text.replace("\"", "#quot;").replace("<", "#lt;").replace(">", "#gt;");
  }
}
