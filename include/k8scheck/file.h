#ifndef K8SCHECK_FILE_H
#define K8SCHECK_FILE_H

/*
 * The one way a file the program reads by itself (the configuration, custom
 * rules) comes into memory: bounded by a size limit while it is read, so an
 * endless file (/dev/zero) costs at most the limit, and a directory is an
 * error, never an empty file.
 */

#include <stddef.h>
#include <stdio.h>

/**
 * Read the file at path, or all of in if it is non-NULL (path is then only
 * a name), into *out: malloc'd, NUL-terminated, *len bytes without the NUL;
 * caller frees. Returns 0, or an errno value with *out and *len untouched:
 * EISDIR for a directory, EFBIG when it holds more than max bytes (it stops
 * reading at max + 1), else what open or read failed with.
 */
int kc_file_read(const char *path, FILE *in, size_t max, char **out, size_t *len);

#endif
