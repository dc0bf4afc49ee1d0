package dev.overture;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.modulith.Modulithic;

/** Overture: customer journeys as BPMN on Camunda 7 and MariaDB. */
@SpringBootApplication
@ConfigurationPropertiesScan
// platform is the shared infrastructure every module may use without declaring it (docs/architecture.md)
@Modulithic(sharedModules = "platform")
public class OvertureApplication {

  static {
    // Camunda's DurationHelper asks DatatypeFactory.newInstance() for every timer it schedules, which
    // without this property scans every jar through ServiceLoader (JFR of the event benchmark); named,
    // the JDK's own factory is loaded directly.
    System.getProperties().putIfAbsent("javax.xml.datatype.DatatypeFactory",
        "com.sun.org.apache.xerces.internal.jaxp.datatype.DatatypeFactoryImpl");
  }

  public static void main(String[] args) {
    SpringApplication.run(OvertureApplication.class, args);
  }
}
