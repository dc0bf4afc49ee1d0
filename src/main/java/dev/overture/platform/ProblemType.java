package dev.overture.platform;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The problem type a broken constraint of this field or parameter answers with, e.g. {@code invalid-scopes};
 * without it a broken constraint is an {@code invalid-request}. It keeps the slugs clients branch on
 * when a check moves from code into a Bean Validation annotation.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface ProblemType {

  String value();
}
