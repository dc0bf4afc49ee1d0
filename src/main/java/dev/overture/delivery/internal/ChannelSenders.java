package dev.overture.delivery.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.consent.Channel;
import dev.overture.consent.Suppressions;
import dev.overture.delivery.ChannelProviders;
import dev.overture.delivery.Creative;
import dev.overture.delivery.Delivery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Turns a rendered creative into each channel's provider call: email with tracking links and the
 * one-click unsubscribe header, SMS and push as JSON (or through Twilio, FCM or APNs where configured), a signed
 * webhook, and hashed audience members.
 * A push provider answering 404 or 410 reports the request's device tokens as unregistered: a hard bounce.
 * A test profile's messages always go to the file outbox; where the others go: {@link ChannelProviders}.
 */
@Component
class ChannelSenders {

  static final String SIGNATURE_HEADER = "X-Overture-Signature";
  static final String TIMESTAMP_HEADER = "X-Overture-Timestamp";
  private static final Pattern LINK = Pattern.compile("href=\"(https?://[^\"]+)\"");

  private final EmailSender emailSender;
  private final EmailSender fileEmailSender;
  private final HttpProvider http;
  private final TrackingTokens tokens;
  private final DeliveryProperties props;
  private final ObjectMapper json;
  private final ChannelProviders providers;
  private final TwilioSms twilio;
  private final FcmPush fcm;
  private final ApnsPush apns;

  ChannelSenders(EmailSender emailSender, HttpProvider http, TrackingTokens tokens, DeliveryProperties props, ObjectMapper json,
      ChannelProviders providers, TwilioSms twilio, FcmPush fcm, ApnsPush apns) {
    this.providers = providers;
    this.twilio = twilio;
    this.fcm = fcm;
    this.apns = apns;
    this.emailSender = emailSender;
    this.fileEmailSender = new FileOutboxEmailSender(Path.of(props.outboxDir()));
    this.http = http;
    this.tokens = tokens;
    this.props = props;
    this.json = json;
  }

  /** Whether the channel's messages go to the provider of this name (not the file outbox, not the generic one). */
  private boolean adapter(Channel channel, String name) {
    return providers.route(channel) == ChannelProviders.Route.PROVIDER && providers.provider(channel).filter(name::equals).isPresent();
  }

  /** Whether the channel's messages can go anywhere (its provider or the file outbox): what a preferred channel needs. */
  boolean reachable(Channel channel) {
    return providers.route(channel) != ChannelProviders.Route.NONE;
  }

  void email(Delivery d, String to, Creative.Rendered r, boolean marketing, boolean toFile) throws DeliveryException {
    Creative.Rendered sent = asSent(d, r, marketing);
    String unsubscribe = marketing ? tokens.unsubscribeUrl(d.id(), d.profileId(), Channel.EMAIL.key()) : null;
    OutboundEmail email = new OutboundEmail(d.id(), props.email().from(), to, sent.subject(), sent.text(), sent.html(), unsubscribe);
    (toFile ? fileEmailSender : emailSender).send(email);
  }

  /**
   * The rendering as the recipient gets it: an email's links as signed click redirects, its open pixel and
   * (marketing) unsubscribe link; a marketing SMS with its opt-out line. What a preview shows.
   */
  Creative.Rendered asSent(Delivery d, Creative.Rendered r, boolean marketing) {
    Channel channel = Channel.fromKey(r.channel()).orElse(Channel.WEBHOOK);
    String html = r.html();
    String text = r.text();
    String sms = r.smsBody();
    if (channel == Channel.EMAIL) {
      String unsubscribe = marketing ? tokens.unsubscribeUrl(d.id(), d.profileId(), Channel.EMAIL.key()) : null;
      if (unsubscribe != null) {
        html = html == null || html.contains(unsubscribe) ? html
            : html + "<p style=\"font-size:12px\"><a href=\"" + unsubscribe + "\">Unsubscribe</a></p>";
        text = text == null || text.contains(unsubscribe) ? text : text + "\n\nUnsubscribe: " + unsubscribe + "\n";
      }
      if (html != null) {
        html = trackLinks(d, html) + "<img src=\"" + tokens.openUrl(d.id(), d.profileId(), Channel.EMAIL.key())
            + "\" width=\"1\" height=\"1\" alt=\"\">";
      }
    }
    if (channel == Channel.SMS && marketing && sms != null && !sms.toUpperCase().contains("STOP")) {
      sms = sms + " Reply STOP to opt out.";
    }
    return new Creative.Rendered(r.key(), r.channel(), r.version(), r.subject(), text, html, sms, r.pushTitle(), r.pushBody(),
        r.locale());
  }

  void sms(Delivery d, String phone, Creative.Rendered r, boolean marketing, boolean toFile) throws DeliveryException {
    if (!toFile && adapter(Channel.SMS, "twilio")) {
      twilio.send(d.id(), phone, asSent(d, r, marketing).smsBody());
      return;
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("to", phone);
    payload.put("body", asSent(d, r, marketing).smsBody());
    payload.put("reference", d.id());
    http.post(Channel.SMS, props.sms(), toFile, d.id(), write(payload), Map.of());
  }

  /** Sends a push; what comes back names the tokens a per-token provider (FCM, APNs) reported unregistered. */
  PushResult push(Delivery d, List<String> deviceTokens, Creative.Rendered r, boolean toFile) throws DeliveryException {
    if (deviceTokens.isEmpty()) {
      // the last token was suppressed between the dispatcher's check and the send
      throw new DeliveryException("no device token left that is not on the suppression list", false, null);
    }
    Map<String, String> data = Map.of("outboxId", d.id(), "openUrl", tokens.openUrl(d.id(), d.profileId(), Channel.PUSH.key()));
    if (!toFile && adapter(Channel.PUSH, "fcm")) {
      return fcm.send(d.id(), deviceTokens, r.pushTitle(), r.pushBody(), data);
    }
    if (!toFile && adapter(Channel.PUSH, "apns")) {
      return apns.send(d.id(), deviceTokens, r.pushTitle(), r.pushBody(), data);
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("tokens", deviceTokens);
    payload.put("title", r.pushTitle());
    payload.put("body", r.pushBody());
    payload.put("data", data);
    try {
      http.post(Channel.PUSH, props.push(), toFile, d.id(), write(payload), Map.of());
      return PushResult.NONE;
    } catch (DeliveryException e) {
      Integer status = e.providerStatus();
      if (status != null && (status == 404 || status == 410)) {
        // APNs 410 Unregistered, FCM 404 UNREGISTERED: the tokens are dead, not the provider
        throw new DeliveryException(e.getMessage() + " (device token not registered)", false, true, status, e);
      }
      throw e;
    }
  }

  void webhook(Delivery d, Creative.Rendered r, boolean toFile) throws DeliveryException {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("outboxId", d.id());
    payload.put("profileId", d.profileId());
    payload.put("creativeKey", r.key());
    payload.put("creativeVersion", r.version());
    payload.put("purpose", d.purpose());
    payload.put("journeyKey", d.journeyKey());
    payload.put("subject", r.subject());
    payload.put("text", r.text());
    String body = write(payload);
    String secret = props.webhook().secret();
    if (secret == null || secret.isBlank()) {
      throw new DeliveryException("overture.delivery.webhook.secret is not set: webhooks are always signed", false, null);
    }
    String timestamp = Long.toString(Instant.now().getEpochSecond());
    http.post(Channel.WEBHOOK, props.webhook(), toFile, d.id(), body,
        Map.of(TIMESTAMP_HEADER, timestamp, SIGNATURE_HEADER, "sha256=" + signature(secret, timestamp, body)));
  }

  void audience(Delivery d, String email, String phone, boolean toFile) throws DeliveryException {
    Map<String, Object> member = new LinkedHashMap<>();
    if (email != null) {
      member.put("hashedEmail", Suppressions.hash(Channel.EMAIL, email));
    }
    if (phone != null) {
      member.put("hashedPhoneNumber", Suppressions.hash(Channel.SMS, phone));
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("audience", d.creativeKey());
    payload.put("action", "remove".equals(d.param("action")) ? "remove" : "add");
    payload.put("members", List.of(member));
    payload.put("reference", d.id());
    http.post(Channel.AUDIENCE, props.audience(), toFile, d.id(), write(payload), Map.of());
  }

  /** {@code hex(HMAC-SHA256(secret, timestamp + "." + body))}: what a webhook receiver recomputes. */
  static String signature(String secret, String timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private String trackLinks(Delivery d, String html) {
    String trackingBase = props.tracking().baseUrl() + "/t/";
    Matcher m = LINK.matcher(html);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      // the HTML escaping of a {{value}} in an href: '=' and '&' come back as they were in the URL
      String target = m.group(1).replace("&#x3D;", "=").replace("&amp;", "&");
      String replacement = target.startsWith(trackingBase) ? m.group(0)
          : "href=\"" + tokens.clickUrl(d.id(), d.profileId(), Channel.EMAIL.key(), target) + "\"";
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String write(Map<String, Object> payload) {
    try {
      return json.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
