/**
 * @file fsutil.h
 * @brief Small file-system helpers: absolute paths, folders, whole files written atomically.
 */
#ifndef JS_FSUTIL_H
#define JS_FSUTIL_H

/* system headers */
#include <stdbool.h>
#include <stddef.h>

/**
 * @brief An absolute version of @p path: the folder resolved (symbolic links followed), the
 * last component kept as given. The folder must exist.
 * @param path a path
 * @return a malloc'ed path, or NULL (errno set) if its folder does not exist
 */
char *js_path_absolute(const char *path);

/**
 * @brief The folder part of a path ("." when there is none).
 * @param path a path
 * @return a malloc'ed string
 */
char *js_path_dirname(const char *path);

/**
 * @brief Joins a folder and a name.
 * @param dir folder
 * @param name file name
 * @return a malloc'ed path
 */
char *js_path_join(const char *dir, const char *name);

/**
 * @brief Creates a folder if it does not exist (its parent must exist).
 * @param dir the folder
 * @return 0, or -1 (errno set)
 */
int js_mkdir(const char *dir);

/**
 * @brief True if @p path exists (file or folder).
 * @param path a path
 */
bool js_path_exists(const char *path);

/**
 * @brief Reads a whole file as text (NUL-terminated).
 * @param path the file
 * @param len out: its length (may be NULL)
 * @return a malloc'ed buffer, or NULL (errno set)
 */
char *js_read_file(const char *path, size_t *len);

/**
 * @brief Writes @p len bytes to `<path>.<pid>.tmp`, flushes them to disk and renames the file
 * to @p path: readers see the old file or the new one, never a half-written one.
 * @param path the file
 * @param data bytes
 * @param len how many
 * @return 0, or -1 (errno set; nothing is left behind)
 */
int js_write_file_atomic(const char *path, const void *data, size_t len);

#endif /* JS_FSUTIL_H */
