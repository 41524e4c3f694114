package dev.gitops.k8s;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The applied record keeps its format: the annotation written now is, byte for byte, the one the
 * earlier encoder wrote (Jackson's map writer with sorted keys, then {@code GZIPOutputStream}), so
 * records already on objects and new ones read and compare alike. The reused deflaters give
 * {@code GZIPOutputStream}'s bytes for any input, also from many threads at once.
 */
class AppliedRecordProperties {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper SORTED =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  @Test
  void gzipGivesTheBytesOfGzipOutputStream() {
    qt().withExamples(500).forAll(lists().of(integers().between(0, 255)).ofSizeBetween(0, 3000),
        integers().between(0, 4)).checkAssert((values, repeat) -> {
          byte[] data = data(values, repeat);
          assertArrayEquals(gzipOutputStream(data), Gzip.of(data));
        });
  }

  @Test
  void gzipFromManyThreadsAtOnceGivesEachItsOwnBytes() {
    List<byte[]> inputs = java.util.stream.IntStream.range(0, 400)
        .mapToObj(i -> ("{\"n\":" + i + ",\"pad\":\"" + "x".repeat(i * 7) + "\"}").getBytes())
        .toList();
    inputs.parallelStream().forEach(in -> assertArrayEquals(gzipOutputStream(in), Gzip.of(in)));
  }

  @Test
  void aRecordIsTheOneTheEarlierEncoderWroteAndDecodesToItsObject() throws Exception {
    for (String text : List.of(
        "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'app','namespace':'shop',"
            + "'labels':{'app':'app','z':'1'}},'data':{'version':'r0','settings.properties':'color=blue\\nsize=10\\n'}}",
        "{'kind':'Service','apiVersion':'v1','spec':{'ports':[{'port':80,'name':'http','targetPort':8080}],"
            + "'selector':{'app':'é'}},'metadata':{'name':'web'}}",
        "{'kind':'HorizontalPodAutoscaler','apiVersion':'autoscaling/v2','spec':{'minReplicas':1,"
            + "'maxReplicas':30000000000,'ratio':0.25,'on':true,'off':null,'list':[[],{}]},'metadata':{'name':'h'}}")) {
      ObjectNode applied = (ObjectNode) JSON.readTree(text.replace('\'', '"'));
      for (boolean secret : new boolean[] {false, true}) {
        String record = AppliedRecord.encode(applied, secret);
        if (!secret) {
          assertEquals(earlierEncoder(applied), record);
        }
        assertEquals(applied.deepCopy().without(List.of()), secret ? applied : AppliedRecord.decode(record));
      }
    }
  }

  private static String earlierEncoder(JsonNode applied) throws IOException {
    byte[] canonical = SORTED.writeValueAsBytes(SORTED.treeToValue(applied, Object.class));
    return Base64.getEncoder().encodeToString(gzipOutputStream(canonical));
  }

  private static byte[] gzipOutputStream(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** {@code values} as bytes, repeated {@code repeat} more times (compressible input). */
  private static byte[] data(List<Integer> values, int repeat) {
    byte[] out = new byte[values.size() * (repeat + 1)];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (int) values.get(i % values.size());
    }
    return out;
  }
}
