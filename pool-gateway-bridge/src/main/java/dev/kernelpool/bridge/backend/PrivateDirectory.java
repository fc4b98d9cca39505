package dev.kernelpool.bridge.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Set;

/**
 * A directory only the sidecar's user can enter: the sidecar's work directory, where its token,
 * the kernel launcher it runs and the kernels' logs live. Created {@code 0700} when missing; an
 * existing one is used only when it is a real directory (not a link) owned by this user with no
 * group or other permissions, because whoever can write there can plant the token the claim API
 * accepts or swap the script the sidecar runs.
 */
public final class PrivateDirectory {
  private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private PrivateDirectory() {}

  /** A directory that is not safe to use; the message names it and says why. */
  public static final class UnsafeDirectoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnsafeDirectoryException(String message) {
      super(message);
    }
  }

  /** Creates {@code dir} (and missing parents) or checks the existing one; returns it. */
  public static Path ensure(Path dir) {
    Path absolute = dir.toAbsolutePath().normalize();
    try {
      if (absolute.getParent() != null) {
        Files.createDirectories(absolute.getParent());
      }
      try {
        Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return absolute;
      } catch (FileAlreadyExistsException e) {
        check(absolute);
        return absolute;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the work directory " + absolute + ": " + e.getMessage(), e);
    }
  }

  /**
   * Checks that {@code file} and the directory holding it can be changed by this user alone: the
   * directory owned by this user and writable by no one else; the file, when it exists, a regular
   * file (not a link) owned by this user and writable by no one else.
   *
   * @throws NoSuchFileException when the file does not exist (its directory passed)
   */
  public static void checkOwnFile(Path file) throws IOException {
    Path dir = file.toAbsolutePath().normalize().getParent();
    PosixFileAttributes d = Files.readAttributes(dir, PosixFileAttributes.class);
    UserPrincipal me = me(dir);
    if (!d.owner().equals(me) || writableByOthers(d)) {
      throw new UnsafeDirectoryException("directory " + dir + " (owner " + d.owner().getName() + ", mode "
          + PosixFilePermissions.toString(d.permissions()) + ") lets others replace " + file.getFileName()
          + "; it must be owned by " + me.getName() + " and writable by no one else");
    }
    PosixFileAttributes f = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!f.isRegularFile() || !f.owner().equals(me) || writableByOthers(f)) {
      throw new UnsafeDirectoryException(file + " is " + (f.isRegularFile() ? "" : "not a regular file (a link?), ")
          + "owned by " + f.owner().getName() + " with mode " + PosixFilePermissions.toString(f.permissions())
          + "; refusing it (it must be " + me.getName() + "'s and writable by no one else)");
    }
  }

  private static boolean writableByOthers(PosixFileAttributes a) {
    return a.permissions().contains(PosixFilePermission.GROUP_WRITE) || a.permissions().contains(PosixFilePermission.OTHERS_WRITE);
  }

  private static UserPrincipal me(Path anyPath) throws IOException {
    return anyPath.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(System.getProperty("user.name"));
  }

  private static void check(Path dir) throws IOException {
    PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attributes.isDirectory()) {
      throw new UnsafeDirectoryException("work directory " + dir + " is not a directory (a link or a file); refusing it");
    }
    UserPrincipal me = me(dir);
    if (!attributes.owner().equals(me)) {
      throw new UnsafeDirectoryException("work directory " + dir + " is owned by " + attributes.owner().getName()
          + ", not by " + me.getName() + "; refusing it (remove it, or set local.workDir to a directory of your own)");
    }
    Set<PosixFilePermission> open = EnumSet.copyOf(attributes.permissions());
    open.retainAll(GROUP_OR_OTHER);
    if (!open.isEmpty()) {
      throw new UnsafeDirectoryException("work directory " + dir + " has mode "
          + PosixFilePermissions.toString(attributes.permissions())
          + "; the sidecar needs one only its user can use (chmod 700 " + dir + ")");
    }
  }
}
