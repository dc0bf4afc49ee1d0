package dev.overture.process;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.overture.profile.Profiles;
import dev.overture.profile.ReservedAttributes;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * "Update profile": merges a JSON object into the journey profile's attributes (null removes a key). Reserved
 * attributes are left out: the JSON is filled from journey variables, which events (of any sender) supply.
 */
@Component("updateProfile")
class UpdateProfileDelegate implements JavaDelegate {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final Profiles profiles;
  private final ReservedAttributes reserved;
  private final ObjectMapper json;

  UpdateProfileDelegate(Profiles profiles, ReservedAttributes reserved, ObjectMapper json) {
    this.profiles = profiles;
    this.reserved = reserved;
    this.json = json;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String text = Variables.required(execution, "attributes");
    Map<String, Object> attributes;
    try {
      attributes = json.readValue(text, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Task '" + execution.getCurrentActivityId() + "': 'attributes' is not a JSON object");
    }
    String profileId = Variables.profileId(execution);
    if (!profiles.updateAttributes(profileId, reserved.withoutReserved(attributes, "journey"))) {
      throw new IllegalStateException("Profile " + profileId + " does not exist");
    }
  }
}
