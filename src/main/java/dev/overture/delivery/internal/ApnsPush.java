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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Push through APNs over HTTP/2 with token auth (Pushy: it signs and renews the provider JWT with the team's
 * {@code .p8} key and keeps the HTTP/2 connection). One notification per device token, its {@code apns-id} the outbox
 * id. {@code 410 Unregistered} and {@code BadDeviceToken} name a token that is dead; 429 and 5xx are transient, as is
 * a connection that fails. A push that reached one token counts as sent, as with FCM.
 */
@Component
class ApnsPush {

  private static final Logger log = LoggerFactory.getLogger(ApnsPush.class);
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
    List<String> dead = new ArrayList<>();
    int sent = 0;
    DeliveryException failure = null;
    for (String token : tokens) {
      SimpleApnsPushNotification notification = new SimpleApnsPushNotification(TokenUtil.sanitizeTokenString(token),
          apns.topic(), json, Instant.now().plus(Duration.ofDays(1)), DeliveryPriority.IMMEDIATE, PushType.ALERT, null, apnsId(outboxId));
      try {
        PushNotificationResponse<SimpleApnsPushNotification> answer = client.sendNotification(notification)
            .get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (answer.isAccepted()) {
          sent++;
          continue;
        }
        String reason = answer.getRejectionReason().orElse("unknown");
        if (DEAD_TOKEN.contains(reason)) {
          dead.add(token);
          continue;
        }
        int status = answer.getStatusCode();
        failure = failure != null ? failure : new DeliveryException("APNs answered " + status + " " + reason,
            HttpProvider.transientStatus(status), false, status, null);
      } catch (ExecutionException | TimeoutException e) {
        failure = failure != null ? failure : new DeliveryException("APNs unreachable: " + e, true, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeliveryException("APNs call interrupted", true, e);
      }
    }
    if (sent > 0) {
      if (failure != null) {
        log.warn("push {} reached {} of {} device tokens; not sent again for the rest: {}", outboxId, sent, tokens.size(),
            failure.getMessage());
      }
      return new PushResult(dead);
    }
    if (failure != null) {
      throw failure;
    }
    throw new DeliveryException("APNs: 410 Unregistered for every device token (device token not registered)", false, true, 410,
        null);
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
