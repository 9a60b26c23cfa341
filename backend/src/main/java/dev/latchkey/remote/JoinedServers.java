package dev.latchkey.remote;

import dev.latchkey.runtime.RunningServers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The servers the gateway serves: the runtime's local processes and the remote servers, as one {@link RunningServers}. */
public final class JoinedServers implements RunningServers {

    private final RunningServers local;
    private final RunningServers remote;

    public JoinedServers(RunningServers local, RunningServers remote) {
        this.local = local;
        this.remote = remote;
    }

    @Override
    public List<RunningServer> running() {
        List<RunningServer> all = new ArrayList<>(local.running());
        all.addAll(remote.running());
        all.sort(Comparator.comparing(RunningServer::installId));
        return all;
    }

    @Override
    public Optional<RunningServer> find(String installId) {
        return local.find(installId).or(() -> remote.find(installId));
    }

    @Override
    public CallPermit admit(String installId) {
        return remote.find(installId).isPresent() ? remote.admit(installId) : local.admit(installId);
    }
}
