package dev.overture.delivery.internal;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code overture.providers.*}: the providers whose own protocols Overture speaks. Twilio and FCM or APNs send when
 * a channel names them ({@code overture.delivery.sms.provider=twilio}, {@code overture.delivery.push.provider=fcm}
 * or {@code apns}); SES (through SNS) and SendGrid report what became of emails to their webhooks, which are open
 * only with their settings here. Each endpoint and URL is a setting so that tests point it at a stand-in.
 */
@ConfigurationProperties("overture.providers")
public record ProviderAdapterProperties(Twilio twilio, Fcm fcm, Apns apns, Ses ses, SendGrid sendgrid) {

  public ProviderAdapterProperties {
    twilio = twilio == null ? new Twilio(null, null, null, null, null) : twilio;
    fcm = fcm == null ? new Fcm(null, null, null, null) : fcm;
    apns = apns == null ? new Apns(null, null, null, null, null, null, null) : apns;
    ses = ses == null ? new Ses(null, null) : ses;
    sendgrid = sendgrid == null ? new SendGrid(null) : sendgrid;
  }

  /** Empty settings: no adapter configured. */
  public static ProviderAdapterProperties none() {
    return new ProviderAdapterProperties(null, null, null, null, null);
  }

  /**
   * Twilio's Messages API: the account SID and auth token (HTTP Basic, and the key of its webhook signatures), the
   * sender ({@code from} number or {@code messagingServiceSid}), and the API's base URL.
   */
  public record Twilio(String accountSid, String authToken, String from, String messagingServiceSid, String baseUrl) {
    public Twilio {
      baseUrl = baseUrl == null || baseUrl.isBlank() ? "https://api.twilio.com" : baseUrl.replaceAll("/+$", "");
    }

    public boolean configured() {
      return hasText(accountSid) && hasText(authToken) && (hasText(from) || hasText(messagingServiceSid));
    }
  }

  /**
   * FCM HTTP v1: the service account's JSON key file (its {@code token_uri} is where the signed JWT is exchanged for an
   * access token), the Firebase project (default: the key's {@code project_id}), and the API's base URL.
   */
  public record Fcm(String serviceAccountFile, String projectId, String baseUrl, Duration timeout) {
    public Fcm {
      baseUrl = baseUrl == null || baseUrl.isBlank() ? "https://fcm.googleapis.com" : baseUrl.replaceAll("/+$", "");
      timeout = timeout == null ? Duration.ofSeconds(20) : timeout;
    }

    public boolean configured() {
      return hasText(serviceAccountFile);
    }
  }

  /**
   * APNs with token auth: the team, the key id and its {@code .p8} signing key, the app's bundle id ({@code topic}),
   * the server ({@code api.push.apple.com}, {@code api.sandbox.push.apple.com}) and port, and, for a stand-in server
   * only, the PEM certificate chain to trust instead of the system's.
   */
  public record Apns(String teamId, String keyId, String signingKeyFile, String topic, String host, Integer port,
      String trustedCertificateFile) {
    public Apns {
      host = host == null || host.isBlank() ? "api.push.apple.com" : host;
      port = port == null ? 443 : port;
    }

    public boolean configured() {
      return hasText(teamId) && hasText(keyId) && hasText(signingKeyFile) && hasText(topic);
    }
  }

  /**
   * SES feedback through SNS: the topic ARNs whose notifications count (a valid SNS signature proves only that SNS
   * sent it, not that it is our topic), and the pattern a signing certificate's or subscription URL's address must
   * match, by default an https host of SNS at amazonaws.com.
   */
  public record Ses(List<String> topicArns, String trustedUrlPattern) {
    public Ses {
      topicArns = topicArns == null ? List.of() : List.copyOf(topicArns);
      trustedUrlPattern = trustedUrlPattern == null || trustedUrlPattern.isBlank()
          ? "^https://sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/.*" : trustedUrlPattern;
    }
  }

  /** The SendGrid Event Webhook's verification key: base64 of the ECDSA public key SendGrid shows for it. */
  public record SendGrid(String verificationKey) {}

  private static boolean hasText(String s) {
    return s != null && !s.isBlank();
  }
}
