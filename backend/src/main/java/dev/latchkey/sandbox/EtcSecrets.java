package dev.latchkey.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The parts of {@code /etc} a sandbox hides although it binds the rest read-only: password
 * hashes, sudo rules, host and service keys, saved network passwords. Most are root's only, but
 * a sandbox started by root runs as root of its own user namespace, which maps to the real root:
 * without the masks it could read them.
 */
final class EtcSecrets {

    /** Files, each covered by an empty, unreadable device node ({@code /dev/null} on a nodev mount). */
    static final List<String> FILES = List.of("shadow", "shadow-", "gshadow", "gshadow-", "sudoers",
            "security/opasswd", "ppp/chap-secrets", "ppp/pap-secrets", "krb5.keytab", "ipsec.secrets",
            "docker/key.json", "docker/daemon.json");

    /** Directories, each covered by an empty tmpfs. */
    static final List<String> DIRECTORIES = List.of("sudoers.d", "ssl/private", "NetworkManager/system-connections",
            "wpa_supplicant", "openvpn", "wireguard", "libvirt", "cups/ssl", "letsencrypt");

    private EtcSecrets() {
    }

    /** The bubblewrap arguments that hide those of them that exist under {@code etc}. */
    static List<String> masks(Path etc) {
        List<String> args = new ArrayList<>();
        for (String file : FILES) {
            if (Files.exists(etc.resolve(file))) {
                args.addAll(List.of("--ro-bind", "/dev/null", etc.resolve(file).toString()));
            }
        }
        // The ssh host keys: ssh_host_*_key (the .pub beside each is public and stays).
        try (Stream<Path> ssh = Files.isDirectory(etc.resolve("ssh")) ? Files.list(etc.resolve("ssh")) : Stream.empty()) {
            ssh.filter(file -> file.getFileName().toString().matches("ssh_host_.*_key"))
                    .sorted()
                    .forEach(file -> args.addAll(List.of("--ro-bind", "/dev/null", file.toString())));
        } catch (IOException e) {
            // an /etc/ssh it cannot list holds nothing it could bind either
        }
        for (String dir : DIRECTORIES) {
            if (Files.isDirectory(etc.resolve(dir))) {
                args.addAll(List.of("--tmpfs", etc.resolve(dir).toString()));
            }
        }
        return args;
    }
}
