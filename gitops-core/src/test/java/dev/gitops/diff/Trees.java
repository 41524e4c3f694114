package dev.gitops.diff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitops.model.Content;

/** Test fixtures: trees from relaxed JSON (single quotes allowed). */
final class Trees {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(com.fasterxml.jackson.core.JsonParser.Feature.ALLOW_SINGLE_QUOTES);

  private Trees() {}

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  static Content.Tree tree(String text) {
    return Content.tree(json(text));
  }

  static Content.Tree deployment(int replicas, String image) {
    return tree("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','namespace':'default'},"
        + "'spec':{'replicas':" + replicas + ",'template':{'spec':{'containers':["
        + "{'name':'web','image':'" + image + "','ports':[{'containerPort':80}]},"
        + "{'name':'log','image':'busybox'}]}}}}");
  }
}
