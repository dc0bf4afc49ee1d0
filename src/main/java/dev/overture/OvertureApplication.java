package dev.overture;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Overture: customer journeys as BPMN on Camunda 7 and MariaDB. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class OvertureApplication {

  public static void main(String[] args) {
    SpringApplication.run(OvertureApplication.class, args);
  }
}
