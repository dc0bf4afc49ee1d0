package dev.overture.delivery.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * HMAC-SHA256 signed tokens for the open pixel, click redirect and unsubscribe links. A token
 * carries its kind, the outbox id, the profile, the channel and (for clicks) the target URL; a
 * changed byte fails the signature, and a click only ever redirects to the URL inside the token.
 */
@Component
public class TrackingTokens {

  private static final Logger log = LoggerFactory.getLogger(TrackingTokens.class);
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  /** What a token says. {@code kind}: o = open, c = click, u = unsubscribe. */
  public record Claims(String kind, String outboxId, String profileId, String channel, String url) {}

  private final byte[] key;
  private final String baseUrl;

  TrackingTokens(DeliveryProperties props) {
    String secret = props.tracking().secret();
    if (secret == null || secret.isBlank()) {
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      this.key = random;
      log.warn("overture.delivery.tracking.secret is not set: tracking and unsubscribe links stop working at restart");
    } else {
      this.key = secret.getBytes(StandardCharsets.UTF_8);
    }
    this.baseUrl = props.tracking().baseUrl();
  }

  public String openUrl(String outboxId, String profileId, String channel) {
    return baseUrl + "/t/o/" + sign(new Claims("o", outboxId, profileId, channel, ""));
  }

  public String clickUrl(String outboxId, String profileId, String channel, String target) {
    return baseUrl + "/t/c/" + sign(new Claims("c", outboxId, profileId, channel, target));
  }

  public String unsubscribeUrl(String outboxId, String profileId, String channel) {
    return baseUrl + "/t/u/" + sign(new Claims("u", outboxId, profileId, channel, ""));
  }

  String sign(Claims c) {
    String payload = String.join("\n", c.kind(), c.outboxId(), c.profileId(), c.channel(), c.url() == null ? "" : c.url());
    String body = B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    return body + "." + B64.encodeToString(mac(body));
  }

  /** The claims of a genuine token of the expected kind; empty for anything tampered or malformed. */
  public Optional<Claims> verify(String token, String kind) {
    int dot = token == null ? -1 : token.indexOf('.');
    if (dot <= 0) {
      return Optional.empty();
    }
    String body = token.substring(0, dot);
    try {
      byte[] given = B64D.decode(token.substring(dot + 1));
      if (!MessageDigest.isEqual(given, mac(body))) {
        return Optional.empty();
      }
      String[] parts = new String(B64D.decode(body), StandardCharsets.UTF_8).split("\n", -1);
      if (parts.length != 5 || !parts[0].equals(kind)) {
        return Optional.empty();
      }
      return Optional.of(new Claims(parts[0], parts[1], parts[2], parts[3], parts[4]));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private byte[] mac(String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
