package dev.overture.platform;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A request body example for the OpenAPI document, as the JSON a caller would send. One line on the
 * handler instead of the nested {@code @RequestBody(content = @Content(examples = @ExampleObject))},
 * which would also have to restate the body's schema.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RequestExample {

  /** The JSON body. */
  String value();
}
