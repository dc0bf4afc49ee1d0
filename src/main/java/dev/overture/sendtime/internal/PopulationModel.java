package dev.overture.sendtime.internal;

import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Everyone's engagements per hour of the week, per channel: summed from the table by a thread of its own at most
 * every {@code population-max-age}, never by the caller, so neither an engagement nor a journey's wait pays for a
 * scan of every profile. Until the first sum is in, the population is even (every hour alike).
 */
@Component
public class PopulationModel {

  private static final Logger log = LoggerFactory.getLogger(PopulationModel.class);

  private record Snapshot(double[] sums, Instant at) {}

  private final EngagementStore store;
  private final SendTimeProperties props;
  private final Clock clock;
  private final Map<String, Snapshot> byChannel = new ConcurrentHashMap<>();
  private final Map<String, Boolean> refreshing = new ConcurrentHashMap<>();
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "send-time-population");
    t.setDaemon(true);
    return t;
  });

  PopulationModel(EngagementStore store, SendTimeProperties props, Clock clock) {
    this.store = store;
    this.props = props;
    this.clock = clock;
  }

  /** The channel's sums as last read (all zero before the first); asks for a new sum when they are old. */
  public double[] of(String channel) {
    Snapshot s = byChannel.get(channel);
    Instant now = clock.instant();
    if ((s == null || s.at().plus(props.populationMaxAge()).isBefore(now)) && refreshing.putIfAbsent(channel, true) == null) {
      worker.execute(() -> refresh(channel));
    }
    return s == null ? new double[EngagementModel.HOURS] : s.sums();
  }

  /** Sums the channel now, on the caller's thread. */
  public void refresh(String channel) {
    try {
      byChannel.put(channel, new Snapshot(store.population(channel), clock.instant()));
    } catch (RuntimeException e) {
      log.warn("The send-time population of channel {} could not be summed: {}", channel, e.getMessage());
    } finally {
      refreshing.remove(channel);
    }
  }

  @PreDestroy
  void stop() {
    worker.shutdownNow();
  }
}
