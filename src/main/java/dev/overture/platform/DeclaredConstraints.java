package dev.overture.platform;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The Bean Validation constraints a request record declares, checked where a facade gathers every problem of a
 * request into one answer (or where code builds the record too), rather than by {@code @Valid} at the controller.
 * The constraints stay the one statement of the rule, and the OpenAPI document shows them.
 */
@Component
public class DeclaredConstraints {

  private final Validator validator;

  DeclaredConstraints(Validator validator) {
    this.validator = validator;
  }

  /** The messages of the broken constraints, in the order of the record's components, each once. */
  public List<String> broken(Record record) {
    List<String> components = Arrays.stream(record.getClass().getRecordComponents()).map(RecordComponent::getName).toList();
    return validator.validate(record).stream()
        .sorted(Comparator.comparingInt((ConstraintViolation<Record> v) -> components.indexOf(v.getPropertyPath().toString()))
            .thenComparing(ConstraintViolation::getMessage))
        .map(ConstraintViolation::getMessage)
        .distinct()
        .toList();
  }
}
