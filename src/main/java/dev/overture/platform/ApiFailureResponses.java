package dev.overture.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Filter;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Failures that happen before or around our controllers, answered as problem+json like the rest of the
 * API: the database outage filter, outermost on the API paths so that it also covers authentication,
 * and Tomcat's error report for requests the container refuses before any filter runs.
 */
@Configuration(proxyBeanMethods = false)
class ApiFailureResponses {

  @Bean
  FilterRegistrationBean<Filter> databaseOutage(ObjectMapper json) {
    FilterRegistrationBean<Filter> reg = new FilterRegistrationBean<>(new DatabaseOutageFilter(json));
    // the actuator's too: reading a metrics key needs the database (health answers DOWN by itself)
    reg.addUrlPatterns("/api/*", "/v1/*", AccessRules.ACTUATOR + "/*");
    reg.setName("overtureDatabaseOutage");
    reg.setOrder(5);
    return reg;
  }

  /**
   * The host's error report valve is a class name that Tomcat instantiates when the host starts unless
   * one of that class is in the pipeline already; both are set here, before the server starts.
   */
  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
    return factory -> factory.addContextCustomizers(context -> {
      if (context.getParent() instanceof StandardHost host) {
        host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
        host.getPipeline().addValve(new ProblemErrorReportValve());
      }
    });
  }
}
