package dev.overture.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.eatthepath.pushy.apns.auth.ApnsVerificationKey;
import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.MockApnsServerListener;
import com.eatthepath.pushy.apns.server.RejectionReason;
import com.eatthepath.pushy.apns.server.ValidatingPushNotificationHandlerFactory;
import dev.overture.support.ProviderKeys;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Push through APNs with token auth against Pushy's MockApnsServer, which checks the provider JWT with the key's public
 * half, knows the app's device tokens and answers 410 Unregistered for one that is gone: the adapter reports that token
 * as unregistered (what the dispatcher then suppresses, FcmPushTest shows end to end), and a push with no other token
 * is a hard bounce. The adapter alone, built from its settings: the shared app sends push to the generic provider.
 */
class ApnsPushTest {

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
  private static ApnsPush apns;

  /** Apple's side: the app's tokens, two of them gone, and the team's key to check the provider tokens with. */
  @BeforeAll
  static void mockApnsAndTheAdapter() throws Exception {
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
            // the tests read rejections from what the adapter made of them
          }
        })
        .build();
    port = (Integer) server.start(0).get();
    apns = adapter(ProviderKeys.apnsSigningKeyPem());
  }

  @AfterAll
  static void stop() throws Exception {
    apns.close();
    server.shutdown().get();
  }

  @Test
  void aPushGoesOutThroughApnsWithTokenAuth() throws Exception {
    String outboxId = UUID.randomUUID().toString();

    PushResult result = apns.send(outboxId, List.of(LIVE), "Hi Ada", "20% off today", Map.of("outboxId", outboxId));

    assertThat(result.unregistered()).isEmpty();
    List<String[]> toLive = acceptedFor(LIVE);
    assertThat(toLive).hasSize(1);
    assertThat(toLive.get(0)[1]).contains("\"title\":\"Hi Ada\"").contains("\"body\":\"20% off today\"")
        .contains("\"outboxId\":\"" + outboxId + "\"");
  }

  @Test
  void anUnregisteredTokenIsReportedWhileTheLiveOneGetsThePushAndAPushWithNoOtherBounces() throws Exception {
    PushResult result = apns.send(UUID.randomUUID().toString(), List.of(GONE, LIVE_TOO), "Hi", "gone", Map.of());

    assertThat(result.unregistered()).containsExactly(GONE);
    assertThat(acceptedFor(LIVE_TOO)).hasSize(1);

    assertThatThrownBy(() -> apns.send(UUID.randomUUID().toString(), List.of(GONE_TOO), "Hi", "gone", Map.of()))
        .isInstanceOfSatisfying(DeliveryException.class, e -> {
          assertThat(e.isHardBounce()).isTrue();
          assertThat(e.isTransient()).isFalse();
          assertThat(e.getMessage()).contains("410");
        });
  }

  @Test
  void aProviderTokenSignedWithAnotherKeyIsRefusedAndFailsTheMessage() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    String otherKey = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(g.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    ApnsPush wrongKey = adapter(otherKey);
    try {
      assertThatThrownBy(() -> wrongKey.send(UUID.randomUUID().toString(), List.of(LIVE), "Hi", "no", Map.of()))
          .isInstanceOfSatisfying(DeliveryException.class, e -> {
            assertThat(e.isHardBounce()).isFalse();
            assertThat(e.getMessage()).contains("403").contains("InvalidProviderToken");
          });
    } finally {
      wrongKey.close();
    }
  }

  /** The adapter as its settings build it, signing with this key and trusting the mock server's certificate. */
  private static ApnsPush adapter(String signingKeyPem) throws Exception {
    return new ApnsPush(new ProviderAdapterProperties(null, null, new ProviderAdapterProperties.Apns(TEAM, KEY_ID,
        ProviderKeys.tempFile(".p8", signingKeyPem).toString(), TOPIC, "localhost", port,
        ProviderKeys.tempFile(".pem", ProviderKeys.certificatePem()).toString()), null, null));
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
