/**
 * @file fsutil.c
 * @brief Absolute paths, folders and atomic whole-file writes.
 */

/* system headers */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* local headers */
#include "jinsong/fsutil.h"
#include "jinsong/util.h"

char *js_path_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return js_xstrdup(".");
    if (slash == path)
        return js_xstrdup("/");
    char *d = js_xmalloc((size_t)(slash - path) + 1);
    memcpy(d, path, (size_t)(slash - path));
    d[slash - path] = '\0';
    return d;
}

char *js_path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    return js_xasprintf("%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
}

char *js_path_absolute(const char *path)
{
    char *dir = js_path_dirname(path);
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    char *real = realpath(dir, NULL);
    free(dir);
    if (!real)
        return NULL;
    char *abs = base[0] ? js_path_join(real, base) : js_xstrdup(real);
    free(real);
    return abs;
}

int js_mkdir(const char *dir)
{
    if (mkdir(dir, 0777) == 0)
        return 0;
    struct stat st;
    if (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    if (errno == EEXIST)
        errno = ENOTDIR;
    return -1;
}

bool js_path_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

char *js_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = js_xmalloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            cap *= 2;
            buf = js_xrealloc(buf, cap);
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        errno = EIO;
        return NULL;
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

int js_write_file_atomic(const char *path, const void *data, size_t len)
{
    char *tmp = js_xasprintf("%s.%ld.tmp", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    int rc = fd < 0 ? -1 : 0;
    const char *p = data;
    while (rc == 0 && len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            rc = -1;
            break;
        }
        p += w;
        len -= (size_t)w;
    }
    if (rc == 0 && fsync(fd) != 0)
        rc = -1;
    int saved = errno;
    if (fd >= 0 && close(fd) != 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        rc = -1;
        saved = errno;
    }
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    errno = saved;
    return rc;
}
