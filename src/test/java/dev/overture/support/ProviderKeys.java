package dev.overture.support;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Keys and certificates that tests make for themselves, standing in for the providers': an RSA key with a
 * self-signed certificate as SNS's signing certificate (and a TLS server's), an EC P-256 key as SendGrid's event
 * webhook key, and signing in each provider's documented way. Made once per test JVM.
 */
public final class ProviderKeys {

  private static final KeyPair RSA = generate("RSA", null);
  private static final KeyPair EC = generate("EC", new ECGenParameterSpec("secp256r1"));
  private static final KeyPair APNS = generate("EC", new ECGenParameterSpec("secp256r1"));
  private static final X509Certificate CERT = selfSigned(RSA, "localhost");

  private ProviderKeys() {}

  /** The RSA key pair behind {@link #certificatePem()}. */
  public static KeyPair rsa() {
    return RSA;
  }

  /** A self-signed certificate for "localhost" and 127.0.0.1 over {@link #rsa()}, in PEM. */
  public static String certificatePem() {
    return pem(CERT);
  }

  public static X509Certificate certificate() {
    return CERT;
  }

  /** The RSA private key as PKCS#8 PEM, as a service account's JSON key or a server's key file holds it. */
  public static String privateKeyPem() {
    return pem(RSA.getPrivate());
  }

  /** An APNs auth key (P-256), as the {@code .p8} file Apple hands out holds it: PKCS#8 PEM. */
  public static String apnsSigningKeyPem() {
    return pem(APNS.getPrivate());
  }

  public static java.security.interfaces.ECPublicKey apnsPublicKey() {
    return (java.security.interfaces.ECPublicKey) APNS.getPublic();
  }

  /** SendGrid's verification key for {@link #sendGridSignature}: base64 of the EC public key's DER form. */
  public static String sendGridVerificationKey() {
    return Base64.getEncoder().encodeToString(EC.getPublic().getEncoded());
  }

  /** What SendGrid sends in X-Twilio-Email-Event-Webhook-Signature: ECDSA (SHA-256) over timestamp + body, base64 DER. */
  public static String sendGridSignature(String timestamp, String body) {
    return sign("SHA256withECDSA", EC.getPrivate(), timestamp + body);
  }

  /** An SNS signature of {@code stringToSign}: SHA1withRSA for version 1, SHA256withRSA for 2. */
  public static String snsSignature(int version, String stringToSign) {
    return sign(version == 1 ? "SHA1withRSA" : "SHA256withRSA", RSA.getPrivate(), stringToSign);
  }

  /** X-Twilio-Signature: base64 HMAC-SHA1 of the URL and the sorted parameters' names and values. */
  public static String twilioSignature(String authToken, String url, java.util.Map<String, String> params) {
    StringBuilder data = new StringBuilder(url);
    new java.util.TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes text to a new temporary file that goes when the JVM does. */
  public static Path tempFile(String suffix, String content) {
    try {
      Path file = Files.createTempFile("overture-test-", suffix);
      Files.writeString(file, content);
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sign(String algorithm, PrivateKey key, String data) {
    try {
      Signature s = Signature.getInstance(algorithm);
      s.initSign(key);
      s.update(data.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair generate(String algorithm, ECGenParameterSpec spec) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
      if (spec != null) {
        g.initialize(spec);
      } else {
        g.initialize(2048);
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate selfSigned(KeyPair keys, String host) {
    try {
      X500Name name = new X500Name("CN=" + host);
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
          Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), name, keys.getPublic());
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.dNSName, host), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object instanceof PrivateKey key ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null)
          : object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
