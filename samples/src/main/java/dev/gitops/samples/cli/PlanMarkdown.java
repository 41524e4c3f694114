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
      md.append("Revision ").append(code(ResourceId.escape(plan.revision()))).append(", owner ")
          .append(code(ResourceId.escape(plan.owner()))).append("\n\n");
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
        String origin = from.isEmpty() ? "" : from.substring(6);
        String words = a.kind().sign() + " " + a.kind().word();
        // a list item is Markdown, where a name's [text](url), *, _ or @ would be read: in code spans,
        // nothing is; the summary line is HTML (a <details> block), where escaped text is text
        String item = "- " + words + " " + code(a.id().toString()) + (origin.isEmpty() ? "" : " from " + code(origin));
        List<String> diff = PlanViews.diff(plan, w, a);
        String body = String.join("\n", diff);
        if (diff.isEmpty()) {
          md.append(item).append('\n');
        } else if (body.length() > budget) {
          left++;
          md.append(item).append(" (diff left out: the comment would be too long)\n");
        } else {
          budget -= body.length();
          PlanViews.Stat stat = PlanViews.Stat.of(diff);
          String fence = fence(body);
          md.append("<details><summary>").append(words).append(" <code>").append(html(a.id().toString()))
              .append("</code>").append(origin.isEmpty() ? "" : " from <code>" + html(origin) + "</code>")
              .append(" (+").append(stat.added()).append(" -").append(stat.removed()).append(")</summary>\n\n")
              .append(fence).append("diff\n").append(body).append('\n').append(fence).append("\n\n</details>\n");
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

  /**
   * A code span holding {@code text} as it is: delimited by one backtick more than the longest run
   * in it, padded with a space where it starts or ends with a backtick or a space (CommonMark
   * strips one from each side), so that no name can close it and be read as Markdown.
   */
  static String code(String text) {
    String ticks = "`".repeat(longestRun(text, '`') + 1);
    boolean pad = text.isEmpty() || text.startsWith("`") || text.endsWith("`") || text.startsWith(" ")
        || text.endsWith(" ");
    return ticks + (pad ? " " + text + " " : text) + ticks;
  }

  /**
   * The fence of a diff block: four backticks, or one more than the longest run in {@code body}, so
   * that no line of a file's content (a context line {@code " ````"}) can close the block and have
   * the rest of the comment read as Markdown.
   */
  static String fence(String body) {
    return "`".repeat(Math.max(4, longestRun(body, '`') + 1));
  }

  private static int longestRun(String text, char c) {
    int longest = 0;
    int run = 0;
    for (int i = 0; i < text.length(); i++) {
      run = text.charAt(i) == c ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    return longest;
  }

  private static String html(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String mermaid(String text) {
    // '#' first: Mermaid reads #name; and #35; as entities, so a name could print as another
    return text.replace("#", "#35;").replace("\"", "#quot;").replace("<", "#lt;").replace(">", "#gt;");
  }
}
