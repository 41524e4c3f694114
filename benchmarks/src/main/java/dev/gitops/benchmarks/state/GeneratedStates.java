package dev.gitops.benchmarks.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.model.ActualState;
import dev.gitops.model.Content;
import dev.gitops.model.DesiredState;
import dev.gitops.model.Observed;
import dev.gitops.model.Resource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One generated pair of states, plus what the {@code JsonNode.equals} lower bound compares.
 *
 * @param desired        the desired state
 * @param actual         the actual state, as an API server returns it
 * @param desiredTrees   the desired objects in generation order (the very trees inside {@code desired})
 * @param strippedActual for each desired object, the actual object without what the server added
 *                       (empty unless asked for); a lower bound compares them pairwise
 * @param changed        how many objects differ between desired and actual
 */
public record GeneratedStates(DesiredState desired, ActualState actual, List<JsonNode> desiredTrees,
                              List<JsonNode> strippedActual, int changed) {

  /** Copies the lists (not the trees). */
  public GeneratedStates {
    desiredTrees = List.copyOf(desiredTrees);
    strippedActual = List.copyOf(strippedActual);
  }

  /**
   * The size of both states written as compact JSON, one object after the other.
   *
   * @return bytes of desired plus actual
   */
  public long compactJsonBytes() {
    ObjectMapper json = new ObjectMapper();
    Counter out = new Counter();
    try {
      for (Resource r : desired.resources()) {
        json.writeValue(out, ((Content.Tree) r.content()).node());
      }
      for (Observed o : actual.observed()) {
        json.writeValue(out, ((Content.Tree) o.resource().content()).node());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.count;
  }

  /**
   * The generation indices of the desired objects in the order a plan meets them: by id, as
   * {@code desired} iterates. Generation order is random by id (kinds and namespaces are drawn per
   * object), and at 100,000 objects the same {@code JsonNode.equals} pass costs about 1.3x more in
   * id order than in generation order (the prefetcher follows allocation order), so a lower bound
   * that walks generation order measures the memory layout, not the work (see {@code AnchorOrder}).
   *
   * @return for each position in id order, the index into {@link #desiredTrees()}
   */
  public int[] idOrder() {
    Map<JsonNode, Integer> index = new IdentityHashMap<>();
    for (int i = 0; i < desiredTrees.size(); i++) {
      index.put(desiredTrees.get(i), i);
    }
    int[] order = new int[desiredTrees.size()];
    int k = 0;
    for (Resource r : desired.resources()) {
      order[k++] = index.get(((Content.Tree) r.content()).node());
    }
    return order;
  }

  @Override
  public String toString() {
    return "GeneratedStates[" + desired.size() + " objects, " + changed + " changed]";
  }

  private static final class Counter extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }

    @Override
    public void close() {
      // ObjectMapper closes the stream after each value; counting goes on.
    }
  }
}
