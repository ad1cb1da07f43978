package org.smartcity.deploy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.state.AbstractChannelStateHandle;
import org.apache.flink.runtime.state.IncrementalKeyedStateHandle.HandleAndLocalPath;
import org.apache.flink.runtime.state.IncrementalRemoteKeyedStateHandle;
import org.apache.flink.runtime.state.StateObject;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.runtime.state.changelog.ChangelogStateBackendHandle;
import org.apache.flink.runtime.state.changelog.ChangelogStateHandleStreamImpl;
import org.apache.flink.runtime.state.changelog.inmemory.InMemoryChangelogStateHandle;
import org.apache.flink.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The layout of the demo job's state directory, and its clean-up at each start.
 *
 * <pre>
 * stateDir/
 *   savepoints/savepoint-*            one per clean stop: self-contained
 *   checkpoints/&lt;jobId&gt;/chk-N        the newest checkpoint of a run (retained on cancel or crash)
 *   checkpoints/&lt;jobId&gt;/shared, taskowned   files checkpoints point at (the changelog's
 *                                     materialized state among them)
 *   changelog/&lt;jobId&gt;/dstl            the state changes since the last materialization
 * </pre>
 *
 * <p>With the changelog, a checkpoint is not self-contained: it points at state materialized
 * earlier and at changelog files, possibly of an earlier run (a restored job claims its snapshot
 * and points at its files instead of copying them), so the clean-up reads the restored snapshot's
 * {@code _metadata} and keeps every file it names. Everything else from earlier runs goes: older
 * snapshots, files a crash left half-written, files that a checkpoint no longer needs but that the
 * run which wrote them did not live to delete. Within a run, Flink deletes what no checkpoint needs
 * any more; so the directory holds one run's working set plus what the restored snapshot needs,
 * however often the demo restarts.
 */
final class StateDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(StateDirectory.class);

    static final String CHECKPOINTS = "checkpoints";
    static final String SAVEPOINTS = "savepoints";
    static final String CHANGELOG = "changelog";
    static final String METADATA = "_metadata";

    private StateDirectory() {}

    /**
     * The newest completed snapshot under {@code stateDir}: a savepoint or a retained checkpoint
     * directory with a {@code _metadata} file, the one written last.
     */
    static Optional<Path> newestSnapshot(Path stateDir) throws IOException {
        return snapshots(stateDir).stream()
                .max(
                        Comparator.comparing((Path p) -> modified(p.resolve(METADATA)))
                                .thenComparing(Path::toString));
    }

    /** Every completed snapshot: {@code savepoints/*} and {@code checkpoints/<job>/chk-*}. */
    static List<Path> snapshots(Path stateDir) throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path savepoint : children(stateDir.resolve(SAVEPOINTS))) {
            if (Files.isRegularFile(savepoint.resolve(METADATA))) {
                found.add(savepoint);
            }
        }
        for (Path jobDir : children(stateDir.resolve(CHECKPOINTS))) {
            for (Path chk : children(jobDir)) {
                if (chk.getFileName().toString().startsWith("chk-")
                        && Files.isRegularFile(chk.resolve(METADATA))) {
                    found.add(chk);
                }
            }
        }
        return found;
    }

    /**
     * Deletes what earlier runs left under {@code stateDir}, except the snapshot {@code keep}
     * (which the running job restored from and Flink now owns: it deletes it once a newer
     * checkpoint no longer needs it) with the files {@code needed} (what its metadata names, read
     * before the job started, while it was whole), and except the running job's own directories. If
     * {@code needed} is unknown (a kind of state this does not know), the checkpoint and changelog
     * files are all kept: disk is cheaper than lost windows.
     *
     * @param keep the restored snapshot, or {@code null} for a fresh start
     * @param needed {@link #referencedFiles} of {@code keep}; ignored without {@code keep}
     * @param running the job now running, whose files are its own business
     */
    static void deleteUnneeded(Path stateDir, Path keep, Optional<Set<Path>> needed, JobID running)
            throws IOException {
        for (Path savepoint : children(stateDir.resolve(SAVEPOINTS))) {
            if (keep == null || !keep.startsWith(savepoint)) {
                deleteRecursively(savepoint);
            }
        }
        if (keep != null && needed.isEmpty()) {
            LOG.warn(
                    "Cannot tell which files {} needs: keeping every checkpoint and changelog"
                            + " file of earlier runs",
                    keep);
            return;
        }
        Set<Path> kept = keep == null ? Set.of() : needed.get();
        for (String root : List.of(CHECKPOINTS, CHANGELOG)) {
            for (Path jobDir : children(stateDir.resolve(root))) {
                if (!jobDir.getFileName().toString().equals(running.toHexString())) {
                    deleteFilesExcept(jobDir, keep, kept);
                }
            }
        }
    }

    /**
     * {@link #referencedFiles}, or empty (with a log line) if the metadata cannot be read: then the
     * restore fails too, or, if it does not, nothing is deleted.
     */
    static Optional<Set<Path>> referencedFilesOrEmpty(Path snapshot) {
        try {
            return referencedFiles(snapshot);
        } catch (IOException | RuntimeException e) {
            // The restore fails on it too, and says so.
            LOG.debug("Cannot read {}", snapshot.resolve(METADATA), e);
            return Optional.empty();
        }
    }

    /**
     * Every file the snapshot's state handles name (absolute, normalized), or empty when a handle
     * is of a kind this does not know. Small state is inline in {@code _metadata} and names none.
     */
    static Optional<Set<Path>> referencedFiles(Path snapshot) throws IOException {
        CheckpointMetadata metadata;
        try (InputStream in = Files.newInputStream(snapshot.resolve(METADATA))) {
            metadata =
                    Checkpoints.loadCheckpointMetadata(
                            new DataInputStream(in),
                            StateDirectory.class.getClassLoader(),
                            snapshot.toUri().toString());
        }
        Set<Path> files = new HashSet<>();
        for (OperatorState operator : metadata.getOperatorStates()) {
            if (!collect(operator.getCoordinatorState(), files)) {
                return Optional.empty();
            }
            for (OperatorSubtaskState subtask : operator.getStates()) {
                List<Collection<? extends StateObject>> parts =
                        List.of(
                                subtask.getManagedKeyedState(),
                                subtask.getRawKeyedState(),
                                subtask.getManagedOperatorState(),
                                subtask.getRawOperatorState(),
                                subtask.getInputChannelState(),
                                subtask.getResultSubpartitionState());
                for (Collection<? extends StateObject> part : parts) {
                    for (StateObject handle : part) {
                        if (!collect(handle, files)) {
                            return Optional.empty();
                        }
                    }
                }
            }
        }
        return Optional.of(files);
    }

    /**
     * Adds the files {@code handle} names to {@code files}; false if it is of an unknown kind. The
     * changelog's handle is a composite: materialized state (itself any keyed handle) and the
     * changelog's stream handles.
     */
    private static boolean collect(StateObject handle, Set<Path> files) {
        if (handle == null) {
            return true;
        }
        if (handle instanceof ChangelogStateBackendHandle changelog) {
            for (StateObject m : changelog.getMaterializedStateHandles()) {
                if (!collect(m, files)) {
                    return false;
                }
            }
            for (StateObject n : changelog.getNonMaterializedStateHandles()) {
                if (!collect(n, files)) {
                    return false;
                }
            }
            return true;
        }
        if (handle instanceof ChangelogStateHandleStreamImpl stream) {
            for (Tuple2<StreamStateHandle, Long> h : stream.getHandlesAndOffsets()) {
                if (!collect(h.f0, files)) {
                    return false;
                }
            }
            return true;
        }
        if (handle instanceof InMemoryChangelogStateHandle) {
            return true;
        }
        if (handle instanceof IncrementalRemoteKeyedStateHandle incremental) {
            List<HandleAndLocalPath> all = new ArrayList<>(incremental.getSharedState());
            all.addAll(incremental.getPrivateState());
            for (HandleAndLocalPath h : all) {
                if (!collect(h.getHandle(), files)) {
                    return false;
                }
            }
            return collect(incremental.getMetaDataStateHandle(), files);
        }
        if (handle instanceof AbstractChannelStateHandle<?> channel) {
            return collect(channel.getDelegate(), files);
        }
        if (handle instanceof StreamStateHandle stream) {
            // Key-group and operator state handles delegate to the stream they were written to.
            stream.maybeGetPath()
                    .ifPresent(p -> files.add(Path.of(p.toUri()).toAbsolutePath().normalize()));
            return true;
        }
        return false;
    }

    /**
     * Deletes every file under {@code dir} that is not under {@code keep} nor in {@code needed},
     * then the directories left empty.
     */
    private static void deleteFilesExcept(Path dir, Path keep, Set<Path> needed)
            throws IOException {
        for (Path p : walkDeepestFirst(dir)) {
            Path abs = p.toAbsolutePath().normalize();
            if ((keep != null && abs.startsWith(keep.toAbsolutePath().normalize()))
                    || needed.contains(abs)) {
                continue;
            }
            if (Files.isDirectory(p)) {
                if (isEmpty(p)) {
                    Files.deleteIfExists(p);
                }
            } else {
                Files.deleteIfExists(p);
            }
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    static List<Path> children(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).toList();
        }
    }

    /**
     * Deletes {@code dir} and everything under it; nothing if it is gone. Flink's {@link
     * FileUtils#deleteDirectory} tolerates files that vanish meanwhile (Flink deleting a subsumed
     * checkpoint of the restored snapshot).
     */
    static void deleteRecursively(Path dir) throws IOException {
        FileUtils.deleteDirectory(dir.toFile());
    }

    /**
     * Every path under {@code dir} (itself included), children before their parents; empty if
     * {@code dir} is gone. Flink may delete files of the restored snapshot meanwhile: the walk
     * tolerates that.
     */
    private static List<Path> walkDeepestFirst(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.forEach(all::add);
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof NoSuchFileException)) {
                throw e.getCause();
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        all.sort(Comparator.reverseOrder());
        return all;
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
