package dev.overture.delivery;

import dev.overture.consent.Channel;
import dev.overture.delivery.internal.DeliveryProperties;
import dev.overture.delivery.internal.ProviderAdapterProperties;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

/**
 * Where each channel's messages go, decided once at start-up: to its provider (SMTP for email, an HTTP provider
 * for sms, push, webhook and audience), to the file outbox, or nowhere. The file outbox takes a channel's messages
 * only when named ({@code overture.delivery.<channel>.provider=file}) or, for a channel without a provider, in the
 * {@code dev} profile; test profiles' messages go there whatever the channel's route. A channel with neither has
 * no provider: a journey that sends on it is refused at deployment and the app refuses to start with one deployed,
 * and a message queued on it anyway fails; each time the property to set is named. Nothing is recorded as sent
 * that went nowhere. SMS may name {@code twilio}, push {@code fcm} or {@code apns} instead of the generic {@code http}
 * provider ({@link #provider(Channel)}).
 */
@Component
public class ChannelProviders {

  /** Where a channel's messages go. */
  public enum Route { PROVIDER, FILE, NONE }

  static final String DEV_PROFILE = "dev";
  static final String FILE = "file";

  private final Map<Channel, Route> routes = new EnumMap<>(Channel.class);
  private final Map<Channel, String> missing = new EnumMap<>(Channel.class);
  private final Map<Channel, String> named = new EnumMap<>(Channel.class);

  /** A provider a channel may name: whether its settings are there, and which properties they are. */
  private record Option(boolean configured, String property) {}

  @Autowired
  ChannelProviders(DeliveryProperties props, ProviderAdapterProperties adapters, Environment env) {
    this(props, adapters, hasText(env.getProperty("spring.mail.host")), env.acceptsProfiles(Profiles.of(DEV_PROFILE)));
  }

  /** As {@link #ChannelProviders(DeliveryProperties, ProviderAdapterProperties, boolean, boolean)} without provider adapters. */
  public ChannelProviders(DeliveryProperties props, boolean smtpHost, boolean dev) {
    this(props, ProviderAdapterProperties.none(), smtpHost, dev);
  }

  /**
   * The routes for these settings: {@code smtpHost} whether {@code spring.mail.host} is set, {@code dev} whether
   * the {@code dev} profile is active. A provider value other than the real one's name or {@code file}, the real one
   * named without its URL or host, or {@code file} named beside them, stops the start with the property's name.
   */
  public ChannelProviders(DeliveryProperties props, ProviderAdapterProperties adapters, boolean smtpHost, boolean dev) {
    decide(Channel.EMAIL, props.email().provider(), "smtp", smtpHost, "spring.mail.host (SPRING_MAIL_HOST)", dev, Map.of());
    decide(Channel.SMS, props.sms().provider(), "http", hasText(props.sms().url()), url(Channel.SMS), dev,
        Map.of("twilio", new Option(adapters.twilio().configured(), "overture.providers.twilio.account-sid, .auth-token and .from"
            + " or .messaging-service-sid (OVERTURE_TWILIO_ACCOUNT_SID, OVERTURE_TWILIO_AUTH_TOKEN, OVERTURE_TWILIO_FROM)")));
    Map<String, Option> push = new LinkedHashMap<>();
    push.put("fcm", new Option(adapters.fcm().configured(),
        "overture.providers.fcm.service-account-file (OVERTURE_FCM_SERVICE_ACCOUNT_FILE)"));
    push.put("apns", new Option(adapters.apns().configured(), "overture.providers.apns.team-id, .key-id, .signing-key-file and .topic"
        + " (OVERTURE_APNS_TEAM_ID, OVERTURE_APNS_KEY_ID, OVERTURE_APNS_SIGNING_KEY_FILE, OVERTURE_APNS_TOPIC)"));
    decide(Channel.PUSH, props.push().provider(), "http", hasText(props.push().url()), url(Channel.PUSH), dev, push);
    decide(Channel.WEBHOOK, props.webhook().provider(), "http", hasText(props.webhook().url()), url(Channel.WEBHOOK), dev, Map.of());
    decide(Channel.AUDIENCE, props.audience().provider(), "http", hasText(props.audience().url()), url(Channel.AUDIENCE), dev,
        Map.of());
    if (routes.get(Channel.WEBHOOK) != Route.NONE && !hasText(props.webhook().secret())) {
      // webhooks are always signed, into the file outbox too: without the secret none can go
      routes.put(Channel.WEBHOOK, Route.NONE);
      missing.put(Channel.WEBHOOK, "webhook messages are signed, but overture.delivery.webhook.secret (OVERTURE_WEBHOOK_SECRET)"
          + " is not set");
    }
  }

  /** Where the channel's messages go. */
  public Route route(Channel channel) {
    return routes.get(channel);
  }

  /**
   * The provider a channel's messages go to when its route is {@link Route#PROVIDER}: {@code smtp} for email, else
   * {@code http} (the generic JSON provider), {@code twilio}, {@code fcm} or {@code apns}; empty for another route.
   */
  public Optional<String> provider(Channel channel) {
    return Optional.ofNullable(named.get(channel));
  }

  /** Why the channel cannot send, naming the property to set; empty when it has a provider or the file outbox. */
  public Optional<String> missing(Channel channel) {
    return Optional.ofNullable(missing.get(channel));
  }

  /** {@link #missing(Channel)} by channel key ({@code email}, {@code sms}, ...); empty for a key that names no channel. */
  public Optional<String> missing(String channelKey) {
    return Channel.fromKey(channelKey).flatMap(this::missing);
  }

  private void decide(Channel channel, String provider, String real, boolean configured, String property, boolean dev,
      Map<String, Option> adapters) {
    String setting = "overture.delivery." + channel.key() + ".provider (OVERTURE_" + upper(channel) + "_PROVIDER)";
    String name = provider == null ? "" : provider.trim().toLowerCase(Locale.ROOT);
    Route route;
    if (name.isEmpty()) {
      route = configured ? Route.PROVIDER : dev ? Route.FILE : Route.NONE;
      name = real;
    } else if (name.equals(FILE)) {
      if (configured) {
        // a provider configured and the file outbox named: which one was meant is a guess either way
        throw new IllegalStateException(setting + " is 'file' but " + property + " is set too: remove one of them");
      }
      route = Route.FILE;
    } else if (name.equals(real)) {
      if (!configured) {
        throw new IllegalStateException(setting + " is '" + real + "' but " + property + " is not set");
      }
      route = Route.PROVIDER;
    } else if (adapters.containsKey(name)) {
      if (!adapters.get(name).configured()) {
        throw new IllegalStateException(setting + " is '" + name + "' but " + adapters.get(name).property() + " is not set");
      }
      route = Route.PROVIDER;
    } else {
      String names = String.join("', '", new java.util.ArrayList<>(adapters.keySet()));
      throw new IllegalStateException(setting + " must be '" + real + "'" + (names.isEmpty() ? "" : ", '" + names + "'")
          + " or 'file', not '" + provider + "'");
    }
    routes.put(channel, route);
    if (route == Route.PROVIDER) {
      named.put(channel, name);
    }
    if (route == Route.NONE) {
      missing.put(channel, channel.key() + " has no provider: set " + property + ", or " + setting
          + " to 'file' to write its messages to the file outbox");
    }
  }

  /** An HTTP channel's URL property, with the environment variable application.yml reads it from. */
  private static String url(Channel channel) {
    return "overture.delivery." + channel.key() + ".url (OVERTURE_" + upper(channel) + "_URL)";
  }

  private static String upper(Channel channel) {
    return channel.key().toUpperCase(Locale.ROOT);
  }

  private static boolean hasText(String s) {
    return s != null && !s.isBlank();
  }
}
