package dev.overture.delivery.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Amazon SNS messages as SNS signs them: the canonical "name\nvalue\n" string of the fields its type signs, verified
 * with SHA1withRSA (SignatureVersion 1) or SHA256withRSA (2) against the certificate at {@code SigningCertURL}, which
 * must match the trusted pattern (an https host of SNS at amazonaws.com) and is fetched once per URL. Only topics
 * named in {@code overture.providers.ses.topic-arns} count: anyone can have SNS sign for a topic of their own.
 */
@Component
class SnsMessages {

  private static final List<String> NOTIFICATION = List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type");
  private static final List<String> SUBSCRIPTION = List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token",
      "TopicArn", "Type");

  private final ProviderAdapterProperties.Ses ses;
  private final Pattern trusted;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, X509Certificate> certificates = new ConcurrentHashMap<>();

  SnsMessages(ProviderAdapterProperties adapters) {
    this.ses = adapters.ses();
    this.trusted = Pattern.compile(ses.trustedUrlPattern());
  }

  /** Why the message is not SNS's for one of our topics; empty when its signature holds. */
  Optional<String> refusal(JsonNode message) {
    String topic = message.path("TopicArn").asText();
    if (!ses.topicArns().contains(topic)) {
      return Optional.of("topic '" + topic + "' is not in overture.providers.ses.topic-arns");
    }
    String version = message.path("SignatureVersion").asText();
    String algorithm = "1".equals(version) ? "SHA1withRSA" : "2".equals(version) ? "SHA256withRSA" : null;
    if (algorithm == null) {
      return Optional.of("SignatureVersion must be 1 or 2, not '" + version + "'");
    }
    String certUrl = message.path("SigningCertURL").asText();
    if (!trusted(certUrl)) {
      return Optional.of("SigningCertURL '" + certUrl + "' does not match " + ses.trustedUrlPattern());
    }
    try {
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate(certUrl));
      verifier.update(stringToSign(message).getBytes(StandardCharsets.UTF_8));
      if (!verifier.verify(Base64.getDecoder().decode(message.path("Signature").asText()))) {
        return Optional.of("the signature does not match the message");
      }
      return Optional.empty();
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return Optional.of("the signature cannot be checked: " + e.getMessage());
    } catch (IOException e) {
      return Optional.of("the signing certificate cannot be fetched: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while fetching the signing certificate");
    }
  }

  /** Confirms a subscription to one of our topics by visiting its SubscribeURL, which must be SNS's too. */
  void confirm(JsonNode subscription) throws IOException, InterruptedException {
    String url = subscription.path("SubscribeURL").asText();
    if (!trusted(url)) {
      throw new IOException("SubscribeURL '" + url + "' does not match " + ses.trustedUrlPattern());
    }
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() >= 300) {
      throw new IOException("SNS answered " + answer.statusCode() + " to the subscription's confirmation");
    }
  }

  /** SNS's canonical form: each signed field that is present, as its name and its value on lines of their own. */
  static String stringToSign(JsonNode message) {
    String type = message.path("Type").asText();
    StringBuilder out = new StringBuilder();
    for (String field : "Notification".equals(type) ? NOTIFICATION : SUBSCRIPTION) {
      if (message.hasNonNull(field)) {
        out.append(field).append('\n').append(message.get(field).asText()).append('\n');
      }
    }
    return out.toString();
  }

  private boolean trusted(String url) {
    return url != null && trusted.matcher(url).matches();
  }

  private X509Certificate certificate(String url) throws IOException, InterruptedException, GeneralSecurityException {
    X509Certificate known = certificates.get(url);
    if (known != null) {
      return known;
    }
    HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (answer.statusCode() != 200) {
      throw new IOException("answered " + answer.statusCode());
    }
    X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(answer.body()));
    cert.checkValidity();
    certificates.put(url, cert);
    return cert;
  }
}
