/*
** lfs_file.c: whole-file read, atomic or in-place write, the output-is-an-
** input check and the check of standard output (see lfs_file.h).
** May call: lfs_diag, libc, POSIX (open, write, rename, stat).
*/
#include "lfs/lfs_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int lfs_file_read(const char *path, size_t max, uint8_t **data, size_t *len,
                  lfs_diag_t *d)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    struct stat st;

    *data = NULL;
    *len = 0;
    if (!f)
        return lfs_fail(d, -1, LFS_EIO, "cannot open: %s", strerror(errno));
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return lfs_fail(d, -1, LFS_EIO, "is a directory; name a file");
    }
    for (;;) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            uint8_t *nb;
            if (cap > max) {
                free(buf);
                if (!is_stdin)
                    fclose(f);
                return lfs_fail(d, -1, LFS_ELIMIT, "larger than %zu bytes;"
                                " this cannot be a valid input", max);
            }
            nb = realloc(buf, ncap + 1);
            if (!nb) {
                free(buf);
                if (!is_stdin)
                    fclose(f);
                return lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
            }
            buf = nb;
            cap = ncap;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0)
            break;
    }
    int bad = ferror(f);
    int e = errno;
    if (!is_stdin)
        fclose(f);
    if (bad) {
        free(buf);
        return lfs_fail(d, -1, LFS_EIO, "read error: %s", strerror(e));
    }
    if (n > max) {
        free(buf);
        return lfs_fail(d, -1, LFS_ELIMIT, "larger than %zu bytes;"
                        " this cannot be a valid input", max);
    }
    if (!buf && !(buf = malloc(1)))
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
    buf[n] = 0;         /* convenience terminator; not counted in len */
    *data = buf;
    *len = n;
    return 0;
}

/* Write all of [p, p + len) to fd: 0, or the errno of the failure. */
static int write_all(int fd, const uint8_t *p, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return w < 0 ? errno : EIO;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* A FIFO or a device: renaming a file over it would replace it, so it is
** opened (a FIFO waits for its reader) and written where it is. */
static int write_in_place(const char *path, const void *data, size_t len,
                          lfs_diag_t *d)
{
    int fd = open(path, O_WRONLY | O_NOCTTY);
    if (fd < 0)
        return lfs_fail(d, -1, LFS_EIO, "cannot open output: %s",
                        strerror(errno));
    int e = write_all(fd, data, len);
    if (close(fd) != 0 && !e && errno != EINTR)
        e = errno;
    if (e)
        return lfs_fail(d, -1, LFS_EIO, "cannot write output: %s",
                        strerror(e));
    return 0;
}

int lfs_file_write(const char *path, const void *data, size_t len,
                   lfs_diag_t *d)
{
    struct stat st;
    if (strcmp(path, "-") == 0) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
            return lfs_fail(d, -1, LFS_EIO, "cannot write standard output:"
                            " %s", strerror(errno));
        return 0;
    }
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
        return write_in_place(path, data, len, d);
    size_t pl = strlen(path);
    char *tmp = malloc(pl + 16);
    if (!tmp)
        return lfs_fail(d, -1, LFS_ENOMEM, "out of memory");
    snprintf(tmp, pl + 16, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return lfs_fail(d, -1, LFS_EIO, "cannot create output: %s",
                        strerror(e));
    }
    int e = write_all(fd, data, len);
    if (!e) {
        /* mkstemp makes 0600; give the output the usual 0644 & umask. */
        mode_t um = umask(0);
        umask(um);
        fchmod(fd, 0666 & ~um);
    }
    if (close(fd) != 0 && !e)
        e = errno;
    if (!e && rename(tmp, path) != 0)
        e = errno;
    if (e) {
        unlink(tmp);
        free(tmp);
        return lfs_fail(d, -1, LFS_EIO, "cannot write output: %s",
                        strerror(e));
    }
    free(tmp);
    return 0;
}

int lfs_file_check_output(const char *out, const char *in, lfs_diag_t *d)
{
    struct stat so, si;
    if (strcmp(out, "-") == 0 || strcmp(in, "-") == 0 ||
        stat(out, &so) != 0 || stat(in, &si) != 0 || !S_ISREG(so.st_mode) ||
        so.st_dev != si.st_dev || so.st_ino != si.st_ino)
        return 0;
    return lfs_fail(d, -1, LFS_EIO, "is also the input %s; writing it"
                    " would destroy that input; name another output", in);
}

int lfs_file_flush_stdout(lfs_diag_t *d)
{
    /* A write that failed earlier (a large fwrite goes straight to the
    ** descriptor) left only the error flag; errno still holds its reason
    ** unless fflush fails now with its own. */
    int e = errno;
    if (fflush(stdout) != 0)
        e = errno;
    else if (!ferror(stdout))
        return 0;
    d->file = "standard output";
    return lfs_fail(d, -1, LFS_EIO, "%s", strerror(e ? e : EIO));
}
