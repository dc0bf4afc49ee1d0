package dev.overture.process;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * "Split": puts the profile into one of weighted variants ("A:45,B:45,holdout:10"). The draw is a
 * hash of journey, step and profile, so it is random across profiles but sticky for one profile:
 * re-entering the journey lands in the same variant.
 */
@Component("split")
class SplitDelegate implements JavaDelegate {

  @Override
  public void execute(DelegateExecution execution) {
    Map<String, Integer> weights = weights(execution.getCurrentActivityId(), Variables.required(execution, "variants"));
    String chosen = variant(weights, Variables.journeyKey(execution), execution.getCurrentActivityId(),
        Variables.profileId(execution));
    execution.setVariable(Variables.optional(execution, "resultVariable", "variant"), chosen);
  }

  /** The variant a profile lands in at this step of this journey. */
  static String variant(Map<String, Integer> weights, String journeyKey, String activityId, String profileId) {
    int total = weights.values().stream().mapToInt(Integer::intValue).sum();
    long draw = bucket(journeyKey + "/" + activityId + "/" + profileId, total);
    for (Map.Entry<String, Integer> w : weights.entrySet()) {
      draw -= w.getValue();
      if (draw < 0) {
        return w.getKey();
      }
    }
    throw new IllegalStateException("no variant for draw " + draw);
  }

  static Map<String, Integer> weights(String activityId, String spec) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    for (String part : spec.split(",")) {
      String[] nw = part.trim().split(":");
      if (nw.length != 2 || !nw[1].trim().matches("\\d{1,3}") || nw[0].isBlank()) {
        throw new IllegalStateException("Task '" + activityId + "': variants must look like 'A:50,B:50', got '" + spec + "'");
      }
      weights.put(nw[0].trim(), Integer.parseInt(nw[1].trim()));
    }
    if (weights.values().stream().mapToInt(Integer::intValue).sum() <= 0) {
      throw new IllegalStateException("Task '" + activityId + "': the variant weights add up to zero");
    }
    return weights;
  }

  private static long bucket(String seed, int total) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (h[i] & 0xff);
      }
      return Math.floorMod(v, total);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
