package dev.overture.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.eatthepath.pushy.apns.auth.ApnsVerificationKey;
import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.MockApnsServerListener;
import com.eatthepath.pushy.apns.server.RejectionReason;
import com.eatthepath.pushy.apns.server.ValidatingPushNotificationHandlerFactory;
import dev.overture.consent.Channel;
import dev.overture.consent.Purpose;
import dev.overture.consent.Suppressions;
import dev.overture.support.ProviderKeys;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Push through APNs with token auth against Pushy's MockApnsServer, which checks the provider JWT with the key's public
 * half, knows the app's device tokens and answers 410 Unregistered for one that is gone: that token is suppressed.
 */
class ApnsPushTest extends DeliveryTestBase {

  private static final String TEAM = "TEAM123456";
  private static final String KEY_ID = "KEY1234567";
  private static final String TOPIC = "dev.overture.app";
  private static final String LIVE = apnsToken();
  private static final String LIVE_TOO = apnsToken();
  private static final String GONE = apnsToken();
  private static final String GONE_TOO = apnsToken();
  /** What the mock server accepted: the request path ({@code /3/device/<token>}) and the payload. */
  private static final Queue<String[]> accepted = new ConcurrentLinkedQueue<>();
  private static MockApnsServer server;
  private static int port;

  @Autowired Suppressions suppressions;

  @DynamicPropertySource
  static void apns(DynamicPropertyRegistry registry) {
    registry.add("overture.delivery.push.provider", () -> "apns");
    registry.add("overture.providers.apns.team-id", () -> TEAM);
    registry.add("overture.providers.apns.key-id", () -> KEY_ID);
    registry.add("overture.providers.apns.topic", () -> TOPIC);
    registry.add("overture.providers.apns.signing-key-file",
        () -> ProviderKeys.tempFile(".p8", ProviderKeys.apnsSigningKeyPem()).toString());
    registry.add("overture.providers.apns.trusted-certificate-file",
        () -> ProviderKeys.tempFile(".pem", ProviderKeys.certificatePem()).toString());
    registry.add("overture.providers.apns.host", () -> "localhost");
    registry.add("overture.providers.apns.port", ApnsPushTest::mockApns);
  }

  /** Apple's side: the app's tokens, two of them gone, and the team's key to check the provider tokens with. */
  private static synchronized int mockApns() {
    if (server == null) {
      start();
    }
    return port;
  }

  private static void start() {
    try {
      ApnsVerificationKey key = new ApnsVerificationKey(KEY_ID, TEAM, ProviderKeys.apnsPublicKey());
      server = new MockApnsServerBuilder()
          .setServerCredentials(new X509Certificate[] {ProviderKeys.certificate()}, ProviderKeys.rsa().getPrivate(), null)
          .setHandlerFactory(new ValidatingPushNotificationHandlerFactory(Map.of(TOPIC, Set.of(LIVE, LIVE_TOO, GONE, GONE_TOO)),
              Map.of(GONE, Instant.now().minusSeconds(3600), GONE_TOO, Instant.now().minusSeconds(3600)),
              Map.of(KEY_ID, key), Map.of(key, Set.of(TOPIC))))
          .setListener(new MockApnsServerListener() {
            @Override
            public void handlePushNotificationAccepted(Http2Headers headers, ByteBuf payload) {
              accepted.add(new String[] {headers.path().toString(), payload == null ? "" : payload.toString(StandardCharsets.UTF_8)});
            }

            @Override
            public void handlePushNotificationRejected(Http2Headers headers, ByteBuf payload, RejectionReason reason,
                Instant deviceTokenExpirationTimestamp) {
              // the tests read rejections from what became of the message
            }
          })
          .build();
      port = (Integer) server.start(0).get();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> server.shutdown(), "mock-apns-stop"));
    } catch (Exception e) {
      throw new IllegalStateException("the mock APNs server did not start", e);
    }
  }

  @Test
  void aPushGoesOutThroughApnsWithTokenAuth() {
    String profileId = profile(Map.of("deviceToken", LIVE), Map.of("firstName", "Ada"));

    Delivery d = awaitFinal(send(profileId, Channel.PUSH, Purpose.TRANSACTIONAL, approvedCreative("apns")));

    assertThat(d.status()).isEqualTo("sent");
    List<String[]> toLive = acceptedFor(LIVE);
    assertThat(toLive).hasSize(1);
    assertThat(toLive.get(0)[1]).contains("\"title\":\"Hi Ada\"").contains("\"body\":\"20% off today\"")
        .contains("\"outboxId\":\"" + d.id() + "\"");
  }

  @Test
  void anUnregisteredTokenIsSuppressedAndAPushWithNoOtherBounces() {
    String both = profileWithTokens(GONE, LIVE_TOO);
    String key = approvedCreative("apns-gone");

    Delivery first = awaitFinal(send(both, Channel.PUSH, Purpose.TRANSACTIONAL, key));

    assertThat(first.status()).isEqualTo("sent");
    assertThat(acceptedFor(LIVE_TOO)).hasSize(1);
    assertThat(suppressions.find(Channel.PUSH, GONE).orElseThrow().reason()).isEqualTo("hard-bounce");
    assertThat(suppressions.isSuppressed(Channel.PUSH, LIVE_TOO)).isFalse();

    Delivery only = awaitFinal(send(profile(Map.of("deviceToken", GONE_TOO), Map.of()), Channel.PUSH, Purpose.TRANSACTIONAL, key));
    assertThat(only.status()).isEqualTo("bounced");
    assertThat(only.reason()).contains("410");
    assertThat(suppressions.find(Channel.PUSH, GONE_TOO).orElseThrow().reason()).isEqualTo("hard-bounce");
  }

  private static List<String[]> acceptedFor(String token) {
    return accepted.stream().filter(a -> a[0].equals("/3/device/" + token)).toList();
  }

  /** A device token as APNs hands them out: 32 bytes, hex. */
  private static String apnsToken() {
    byte[] bytes = (UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", ""))
        .substring(0, 32).getBytes(StandardCharsets.US_ASCII);
    return HexFormat.of().formatHex(bytes);
  }
}
