package dev.overture.journey.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overture.delivery.ChannelProviders;
import dev.overture.delivery.internal.DeliveryProperties;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParser;
import org.camunda.bpm.engine.impl.util.ReflectUtil;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.camunda.bpm.engine.impl.util.xml.Parse;
import org.camunda.bpm.engine.impl.util.xml.Parser;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The deploy-time checks on BPMN as the engine's parser hands it to the plugin, without an engine: a new
 * journey whose Send task's channel has no provider here is refused, naming the element and the property.
 */
class JourneyValidationPluginTest {

  private static final JourneyRules RULES = JourneyRules.fromClasspath(bean -> true);

  @Test
  void aNewJourneyThatSendsOnAChannelWithoutAProviderIsRefusedNamingTheElementAndTheProperty() throws IOException {
    List<String> problems = plugin(Map.of()).problems(bundled("abandoned-cart"), true);

    assertThat(problems).singleElement().asString()
        .contains("element 'Task_SendCartLastCallPush'")
        .contains("push has no provider")
        .contains("overture.delivery.push.url (OVERTURE_PUSH_URL)")
        .contains("overture.delivery.push.provider");
  }

  @Test
  void withThePushProviderConfiguredOrTheFileOutboxNamedTheSameJourneyDeploys() throws IOException {
    assertThat(plugin(Map.of("overture.delivery.push.url", "https://push.example.com")).problems(bundled("abandoned-cart"), true))
        .isEmpty();
    assertThat(plugin(Map.of("overture.delivery.push.provider", "file")).problems(bundled("abandoned-cart"), true)).isEmpty();
  }

  @Test
  void theEngineReloadingAVersionDeployedBeforeIsNotRefused() throws IOException {
    // what is deployed already is the start-up check's: a reload must not fail the instances running on it
    assertThat(plugin(Map.of()).problems(bundled("abandoned-cart"), false)).isEmpty();
  }

  @Test
  void inputParametersOfOlderTemplatesAndThePreferredChannelsFallbacksAreCheckedToo() {
    Element root = parse(process("""
        <bpmn:serviceTask id="Task_OldSms" camunda:delegateExpression="${sendMessage}">
          <bpmn:extensionElements><camunda:inputOutput>
            <camunda:inputParameter name="channel">sms</camunda:inputParameter>
          </camunda:inputOutput></bpmn:extensionElements>
        </bpmn:serviceTask>
        <bpmn:serviceTask id="Task_Preferred" camunda:delegateExpression="${sendMessage}">
          <bpmn:extensionElements><camunda:properties>
            <camunda:property name="channel" value="preferred" />
            <camunda:property name="fallbackChannels" value="push, email" />
          </camunda:properties></bpmn:extensionElements>
        </bpmn:serviceTask>
        <bpmn:serviceTask id="Task_ByExpression" camunda:delegateExpression="${sendMessage}">
          <bpmn:extensionElements><camunda:properties>
            <camunda:property name="channel" value="${channelOfChoice}" />
          </camunda:properties></bpmn:extensionElements>
        </bpmn:serviceTask>
        <bpmn:serviceTask id="Task_CheckSmsConsent" camunda:delegateExpression="${checkConsent}">
          <bpmn:extensionElements><camunda:inputOutput>
            <camunda:inputParameter name="channel">sms</camunda:inputParameter>
          </camunda:inputOutput></bpmn:extensionElements>
        </bpmn:serviceTask>"""));

    List<String> problems = plugin(Map.of()).problems(root, true);

    assertThat(problems).hasSize(2);
    assertThat(problems.get(0)).contains("element 'Task_OldSms'").contains("overture.delivery.sms.url");
    assertThat(problems.get(1)).contains("element 'Task_Preferred'").contains("overture.delivery.push.url")
        .doesNotContain("email has no provider");
  }

  /** The plugin on a node with SMTP and these further settings, outside the dev profile. */
  private static JourneyValidationPlugin plugin(Map<String, String> settings) {
    DeliveryProperties props = new Binder(new MapConfigurationPropertySource(new HashMap<>(settings)))
        .bindOrCreate("overture.delivery", DeliveryProperties.class);
    return new JourneyValidationPlugin(RULES, new ChannelProviders(props, true, false)::missing);
  }

  private static Element bundled(String journey) throws IOException {
    try (InputStream in = JourneyValidationPluginTest.class.getResourceAsStream("/bpmn/" + journey + ".bpmn")) {
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static Element parse(String xml) {
    Parser parser = new Parser() {
      @Override
      public Parse createParse() {
        return new Parse(this) { };
      }
    };
    Parse parse = parser.createParse().sourceString(xml);
    // with the BPMN schema, as the engine parses: that also makes the parse namespace-aware
    parse.setSchemaResource(ReflectUtil.getResourceUrlAsString(BpmnParser.BPMN_20_SCHEMA_LOCATION));
    return parse.execute().getRootElement();
  }

  private static String process(String tasks) {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
            xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_Test" targetNamespace="https://overture.dev/test">
          <bpmn:process id="journey-channels" isExecutable="true" camunda:historyTimeToLive="P1D">%s</bpmn:process>
        </bpmn:definitions>
        """.formatted(tasks);
  }
}
