package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.gitops.model.ResourceId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Endpoints registry's repacking of {@code subsets}, on inputs shaped after the cases of
 * kubernetes' {@code pkg/api/endpoints/util_test.go} {@code TestPackSubsets} (written anew): what
 * the server stores for a write, up to the order of ports and subsets (an md5 order there, the JSON
 * text's here, the same for both sides of a diff).
 */
class EndpointsRepackTest {
  /** JSON written with single quotes. */
  private static JsonNode json(String text) {
    return Json.parse(text.replace('\'', '"'));
  }

  private static JsonNode repacked(String subsets) {
    JsonNode given = json(subsets);
    ArrayNode out = EndpointsRepack.subsets(given);
    return out == null ? given : out;
  }

  @Test
  void addressesAreSortedByTheTextOfTheirIpNotNumerically() {
    assertEquals(json("[{'addresses':[{'ip':'10.0.0.100'},{'ip':'10.0.0.9'}],"
            + "'ports':[{'port':80,'protocol':'TCP'}]}]"),
        repacked("[{'addresses':[{'ip':'10.0.0.9'},{'ip':'10.0.0.100'}],'ports':[{'port':80}]}]"));
  }

  @Test
  void subsetsWithTheSamePortAreMergedAndDuplicatesGo() {
    assertEquals(json("[{'addresses':[{'ip':'1.2.3.4'},{'ip':'5.6.7.8'}],'ports':[{'port':111,'protocol':'TCP'}]}]"),
        repacked("[{'addresses':[{'ip':'5.6.7.8'},{'ip':'5.6.7.8'}],'ports':[{'port':111}]},"
            + "{'addresses':[{'ip':'1.2.3.4'}],'ports':[{'port':111,'protocol':'TCP'}]}]"));
  }

  @Test
  void anAddressBothReadyAndNotReadyForAPortIsNotReadyAndKeepsItsFirstForm() {
    assertEquals(json("[{'notReadyAddresses':[{'ip':'1.2.3.4','targetRef':{'name':'foo'}}],"
            + "'ports':[{'port':111,'protocol':'TCP'}]}]"),
        repacked("[{'addresses':[{'ip':'1.2.3.4','targetRef':{'name':'foo'}}],"
            + "'notReadyAddresses':[{'ip':'1.2.3.4','targetRef':{'name':'bar'}}],'ports':[{'port':111}]}]"));
  }

  @Test
  void portsOfTheSameAddressesShareASubsetAndOthersStaySplit() {
    JsonNode out = repacked("[{'addresses':[{'ip':'1.2.3.4'}],'ports':[{'port':111}]},"
        + "{'addresses':[{'ip':'1.2.3.5'}],'ports':[{'port':222}]},"
        + "{'addresses':[{'ip':'1.2.3.6'}],'ports':[{'port':111}]},"
        + "{'addresses':[{'ip':'1.2.3.5'}],'ports':[{'port':333}]}]");
    List<String> subsets = new ArrayList<>();
    out.forEach(s -> subsets.add(s.toString()));
    assertEquals(List.of(
        json("{'addresses':[{'ip':'1.2.3.4'},{'ip':'1.2.3.6'}],'ports':[{'port':111,'protocol':'TCP'}]}").toString(),
        json("{'addresses':[{'ip':'1.2.3.5'}],'ports':[{'port':222,'protocol':'TCP'},{'port':333,'protocol':'TCP'}]}")
            .toString()), subsets);
  }

  @Test
  void theSameIpWithAndWithoutATargetUidAreTwoAddressesNoRefFirst() {
    assertEquals(json("[{'addresses':[{'ip':'1.2.3.4'},{'ip':'1.2.3.4','targetRef':{'uid':'uid-2'}}],"
            + "'ports':[{'port':111,'protocol':'TCP'}]}]"),
        repacked("[{'addresses':[{'ip':'1.2.3.4','targetRef':{'uid':'uid-2'}}],'ports':[{'port':111}]},"
            + "{'addresses':[{'ip':'1.2.3.4'}],'ports':[{'port':111}]}]"));
  }

  @Test
  void addressesWithoutPortsAreKeptAndPortsWithoutAddressesGo() {
    assertEquals(json("[{'addresses':[{'ip':'1.2.3.4'}]}]"),
        repacked("[{'addresses':[{'ip':'1.2.3.4'}],'ports':[]},{'addresses':[],'ports':[{'port':111}]}]"));
    assertEquals(json("[]"), repacked("[{'addresses':[],'ports':[{'port':111}]}]"));
  }

  @Test
  void canonicalSubsetsAndOtherShapesAreLeftAsTheyAre() {
    assertNull(EndpointsRepack.subsets(json("[{'addresses':[{'ip':'1.2.3.4'}],'ports':[{'port':1,'protocol':'TCP'}]}]")));
    assertNull(EndpointsRepack.subsets(json("[{'addresses':[{'ip':7}],'ports':[{'port':1}]}]")));
    assertNull(EndpointsRepack.subsets(json("{'addresses':[]}")));
    assertNull(EndpointsRepack.subsets(null));
  }

  @Test
  void theNormalisationRepacksBothSidesAlike() {
    KubernetesNormalizer normalizer = new KubernetesNormalizer();
    ResourceId id = ResourceId.of("Endpoints", "shop", "db");
    JsonNode written = json("{'apiVersion':'v1','kind':'Endpoints','metadata':{'name':'db'},"
        + "'subsets':[{'addresses':[{'ip':'10.0.0.9'}],'ports':[{'port':5432}]},"
        + "{'addresses':[{'ip':'10.0.0.10'}],'ports':[{'port':5432}]}]}");
    JsonNode stored = json("{'apiVersion':'v1','kind':'Endpoints','metadata':{'name':'db'},"
        + "'subsets':[{'addresses':[{'ip':'10.0.0.10'},{'ip':'10.0.0.9'}],'ports':[{'port':5432,'protocol':'TCP'}]}]}");
    assertEquals(normalizer.normalize(id, stored), normalizer.normalize(id, written));
  }
}
