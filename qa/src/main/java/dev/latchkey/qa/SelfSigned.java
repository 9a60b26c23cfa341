package dev.latchkey.qa;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for a stand-in's hosts, made by the JDK's {@code keytool} (EC P-256,
 * two days), with the SHA-256 of its public key that Chromium's
 * {@code --ignore-certificate-errors-spki-list} takes.
 */
public final class SelfSigned {

    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final String ALIAS = "standin";

    private final KeyStore store;
    private final Certificate certificate;

    private SelfSigned(KeyStore store) throws GeneralSecurityException {
        this.store = store;
        this.certificate = store.getCertificate(ALIAS);
    }

    /** A certificate named {@code commonName} for every host of {@code hosts} (its subject alternative names). */
    public static SelfSigned forHosts(String commonName, List<String> hosts) throws Exception {
        Path keystore = Files.createTempFile("latchkey-qa-cert-", ".p12");
        Files.delete(keystore);
        try {
            String san = String.join(",", hosts.stream().map(host -> "dns:" + host).toList());
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                    "-dname", "CN=" + commonName, "-ext", "san=" + san,
                    "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", new String(PASSWORD))
                    .redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (keytool.waitFor() != 0) {
                throw new IllegalStateException("keytool could not make the stand-in's certificate: " + output);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, PASSWORD);
            }
            return new SelfSigned(store);
        } finally {
            Files.deleteIfExists(keystore);
        }
    }

    /** The value of {@code --ignore-certificate-errors-spki-list}: the SHA-256 of the key, base64. */
    public String spki() throws GeneralSecurityException {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded()));
    }

    /** TLS for the stand-in's server side: this certificate and its key. */
    public SSLContext serverContext() throws GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        return tls;
    }

    /** TLS for a client that trusts this certificate and nothing else (a Java HTTP client reaching the stand-in). */
    public SSLContext clientContext() throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry(ALIAS, certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return tls;
    }
}
