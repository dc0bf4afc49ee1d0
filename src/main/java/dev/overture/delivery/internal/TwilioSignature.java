package dev.overture.delivery.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's webhook signature ({@code X-Twilio-Signature}): base64 of HMAC-SHA1, keyed with the account's auth token,
 * over the URL Twilio called followed by each POST parameter's name and value, sorted by name. Twilio's own library
 * is not on the classpath for this one function; its documented algorithm is all it does.
 */
final class TwilioSignature {

  static final String HEADER = "X-Twilio-Signature";

  private TwilioSignature() {}

  static String sign(String authToken, String url, Map<String, List<String>> params) {
    StringBuilder data = new StringBuilder(url);
    new TreeMap<>(params).forEach((name, values) -> {
      List<String> sorted = new ArrayList<>(values);
      sorted.sort(null);
      sorted.forEach(v -> data.append(name).append(v));
    });
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether {@code signature} is Twilio's for this request; compared in constant time. */
  static boolean valid(String authToken, String url, Map<String, List<String>> params, String signature) {
    if (authToken == null || authToken.isBlank() || signature == null || signature.isBlank()) {
      return false;
    }
    byte[] expected = sign(authToken, url, params).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, signature.trim().getBytes(StandardCharsets.UTF_8));
  }
}
