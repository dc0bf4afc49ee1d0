package dev.overture.process;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.overture.consent.Channel;
import dev.overture.consent.Purpose;
import dev.overture.delivery.Deliveries;
import dev.overture.event.CustomerEvent;
import dev.overture.event.Events;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngineServices;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.junit.jupiter.api.Test;

/** Unit test of the "Send message" delegate's inputs: one channel, preferred with fallbacks, audience. */
class SendMessageDelegateTest {

  private final Deliveries deliveries = mock(Deliveries.class);
  private final Events events = mock(Events.class);
  private final SendMessageDelegate delegate = new SendMessageDelegate(deliveries, events);

  @Test
  void preferredChannelQueuesWithTheFallbacksInOrder() {
    DelegateExecution execution = execution(Map.of("channel", "preferred", "fallbackChannels", "sms, email",
        "purpose", "transactional", "creativeKey", "order-shipped"));
    delegate.execute(execution);
    verify(deliveries).enqueuePreferred(eq("p-1"), eq(List.of(Channel.SMS, Channel.EMAIL)), eq(Purpose.TRANSACTIONAL),
        eq("order-shipped"), any(), eq(new Deliveries.Moment(Map.of(), Map.of())));
  }

  @Test
  void audienceRemovalQueuesARemove() {
    delegate.execute(execution(Map.of("channel", "audience", "audienceAction", "remove", "creativeKey", "lookalikes")));
    verify(deliveries).enqueueAudience(eq("p-1"), eq("lookalikes"), eq(false), eq(Purpose.MARKETING), any());
  }

  @Test
  void aPlainChannelQueuesOneMessage() {
    delegate.execute(execution(Map.of("channel", "push", "creativeKey", "welcome")));
    verify(deliveries).enqueue(eq("p-1"), eq(Channel.PUSH), eq(Purpose.MARKETING), eq("welcome"), any(), any());
  }

  @Test
  void theMessageSpeaksOfTheJourneysEventAndTheVariablesTheTaskNames() {
    when(events.find("e-9")).thenReturn(java.util.Optional.of(
        new CustomerEvent("e-9", "order.shipped", "p-1", null, Map.of("orderId", "A-1001"))));
    delegate.execute(execution(Map.of("channel", "email", "creativeKey", "order-shipped", "eventId", "e-9",
        "templateVariables", "orderNumber, couponCode, absent", "orderNumber", "A-1001", "couponCode", "SPRING",
        "cartId", "not named")));
    verify(deliveries).enqueue(eq("p-1"), eq(Channel.EMAIL), eq(Purpose.MARKETING), eq("order-shipped"), any(),
        eq(new Deliveries.Moment(Map.of("orderId", "A-1001"), Map.of("orderNumber", "A-1001", "couponCode", "SPRING"))));
  }

  private static DelegateExecution execution(Map<String, Object> variables) {
    DelegateExecution execution = mock(DelegateExecution.class);
    when(execution.getVariable(any())).thenAnswer(i -> "profileId".equals(i.getArgument(0)) ? "p-1" : variables.get(i.getArgument(0)));
    when(execution.getProcessDefinitionId()).thenReturn("journey:1:abc");
    // the journey key comes from the engine's definition, not from parsing the id
    ProcessDefinition definition = mock(ProcessDefinition.class);
    when(definition.getKey()).thenReturn("journey");
    RepositoryService repository = mock(RepositoryService.class);
    when(repository.getProcessDefinition("journey:1:abc")).thenReturn(definition);
    ProcessEngineServices services = mock(ProcessEngineServices.class);
    when(services.getRepositoryService()).thenReturn(repository);
    when(execution.getProcessEngineServices()).thenReturn(services);
    when(execution.getProcessInstanceId()).thenReturn("pi-1");
    when(execution.getCurrentActivityId()).thenReturn("Task_Send");
    return execution;
  }
}
