package dev.overture.journey.internal;

import org.camunda.bpm.engine.impl.event.EventType;
import org.camunda.bpm.engine.impl.interceptor.Session;
import org.camunda.bpm.engine.impl.interceptor.SessionFactory;
import org.camunda.bpm.engine.impl.persistence.entity.EventSubscriptionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.EventSubscriptionManager;

/**
 * Camunda's event subscription manager, without its look for asynchronous event jobs when a message
 * subscription is deleted. Such jobs ({@code ProcessEventJobHandler}, type "event") are made only for signal
 * and compensation subscriptions that deliver asynchronously; a message is always delivered in the
 * correlating command. Yet every message subscription deleted (the other branch of an event-based gateway,
 * an instance that ends while it waits for a message) asked the database for them. Every other kind of
 * subscription is deleted as before.
 */
final class MessageSubscriptionDeletes extends EventSubscriptionManager {

  /** Opens this manager wherever the engine asks for its {@link EventSubscriptionManager}. */
  static final class Factory implements SessionFactory {
    @Override
    public Class<?> getSessionType() {
      return EventSubscriptionManager.class;
    }

    @Override
    public Session openSession() {
      return new MessageSubscriptionDeletes();
    }
  }

  @Override
  public void deleteEventSubscription(EventSubscriptionEntity subscription) {
    if (subscription.isSubscriptionForEventType(EventType.MESSAGE)) {
      getDbEntityManager().delete(subscription);
    } else {
      super.deleteEventSubscription(subscription);
    }
  }
}
