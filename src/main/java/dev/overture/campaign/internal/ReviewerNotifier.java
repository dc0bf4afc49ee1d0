package dev.overture.campaign.internal;

import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

/**
 * Tells reviewers about an overdue review by email (Camunda users' email addresses). Without SMTP
 * configured it only logs; a failed reminder never fails the review.
 */
@Component
public class ReviewerNotifier {

  private static final Logger log = LoggerFactory.getLogger(ReviewerNotifier.class);

  private final IdentityService identity;
  private final ObjectProvider<JavaMailSender> mail;
  private final CampaignProperties props;

  ReviewerNotifier(IdentityService identity, ObjectProvider<JavaMailSender> mail, CampaignProperties props) {
    this.identity = identity;
    this.mail = mail;
    this.props = props;
  }

  /** Returns the user ids that were notified. */
  public List<String> notifyGroup(String groupId, String subject, String text) {
    List<User> members = identity.createUserQuery().memberOfGroup(groupId).list();
    return members.stream().filter(u -> send(u, subject, text)).map(User::getId).toList();
  }

  public java.util.Optional<String> firstMember(String groupId) {
    return identity.createUserQuery().memberOfGroup(groupId).orderByUserId().asc().listPage(0, 1).stream()
        .map(User::getId).findFirst();
  }

  public boolean notifyUser(String userId, String subject, String text) {
    User user = identity.createUserQuery().userId(userId).singleResult();
    return user != null && send(user, subject, text);
  }

  private boolean send(User user, String subject, String text) {
    JavaMailSender sender = mail.getIfAvailable();
    if (user.getEmail() == null || user.getEmail().isBlank() || sender == null) {
      log.info("Reviewer reminder for {} not emailed (no address or no SMTP): {}", user.getId(), subject);
      return false;
    }
    SimpleMailMessage message = new SimpleMailMessage();
    message.setFrom(props.reminderFrom());
    message.setTo(user.getEmail());
    message.setSubject(subject);
    message.setText(text);
    try {
      sender.send(message);
      return true;
    } catch (MailException e) {
      log.warn("Reviewer reminder to {} failed: {}", user.getId(), e.getMessage());
      return false;
    }
  }
}
