package dev.overture.delivery.internal;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushNotificationResponse;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.util.SimpleApnsPayloadBuilder;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import com.eatthepath.pushy.apns.util.TokenUtil;
import jakarta.annotation.PreDestroy;
import java.io.File;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;

/**
 * Push through APNs over HTTP/2 with token auth (Pushy: it signs and renews the provider JWT with the team's
 * {@code .p8} key and keeps the HTTP/2 connection). One notification per device token, its {@code apns-id} the outbox
 * id. {@code 410 Unregistered} and {@code BadDeviceToken} name a token that is dead; 429 and 5xx are transient, as is
 * a connection that fails. How the tokens' answers add up: {@link PushResult.Tally}.
 */
@Component
class ApnsPush {

  private static final Set<String> DEAD_TOKEN = Set.of("Unregistered", "BadDeviceToken", "DeviceTokenNotForTopic");
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(20);

  private final ProviderAdapterProperties.Apns apns;
  private final ApnsClient client;

  ApnsPush(ProviderAdapterProperties adapters) throws IOException, GeneralSecurityException {
    this.apns = adapters.apns();
    if (!apns.configured()) {
      this.client = null;
      return;
    }
    // the key is read at start-up: a missing or broken key stops the start rather than every push
    ApnsClientBuilder builder = new ApnsClientBuilder().setApnsServer(apns.host(), apns.port())
        .setSigningKey(ApnsSigningKey.loadFromPkcs8File(new File(apns.signingKeyFile()), apns.teamId(), apns.keyId()));
    if (apns.trustedCertificateFile() != null && !apns.trustedCertificateFile().isBlank()) {
      builder.setTrustedServerCertificateChain(new File(apns.trustedCertificateFile()));
    }
    this.client = builder.build();
  }

  PushResult send(String outboxId, List<String> tokens, String title, String body, Map<String, String> data)
      throws DeliveryException {
    SimpleApnsPayloadBuilder payload = new SimpleApnsPayloadBuilder();
    payload.setAlertTitle(title).setAlertBody(body);
    data.forEach(payload::addCustomProperty);
    String json = payload.build();
    PushResult.Tally tally = new PushResult.Tally();
    for (String token : tokens) {
      SimpleApnsPushNotification notification = new SimpleApnsPushNotification(TokenUtil.sanitizeTokenString(token),
          apns.topic(), json, Instant.now().plus(Duration.ofDays(1)), DeliveryPriority.IMMEDIATE, PushType.ALERT, null, apnsId(outboxId));
      try {
        PushNotificationResponse<SimpleApnsPushNotification> answer = client.sendNotification(notification)
            .get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        String reason = answer.getRejectionReason().orElse("unknown");
        if (answer.isAccepted()) {
          tally.sent();
        } else if (DEAD_TOKEN.contains(reason)) {
          tally.dead(token);
        } else {
          tally.failed(new DeliveryException("APNs answered " + answer.getStatusCode() + " " + reason,
              HttpProvider.transientStatus(answer.getStatusCode()), false, answer.getStatusCode(), null));
        }
      } catch (ExecutionException | TimeoutException e) {
        tally.failed(new DeliveryException("APNs unreachable: " + e, true, e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeliveryException("APNs call interrupted", true, e);
      }
    }
    return tally.result("APNs", outboxId, tokens.size(), 410);
  }

  private static UUID apnsId(String outboxId) {
    try {
      return UUID.fromString(outboxId);
    } catch (IllegalArgumentException notAUuid) {
      return UUID.randomUUID();
    }
  }

  @PreDestroy
  void close() {
    if (client != null) {
      client.close();
    }
  }
}
