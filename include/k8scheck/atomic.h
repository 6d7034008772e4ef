#ifndef K8SCHECK_ATOMIC_H
#define K8SCHECK_ATOMIC_H

/*
 * Writing a file without ever leaving half of it: write to a temporary file
 * in the same directory, fsync it, rename it over the target and fsync the
 * directory. Used for reports (--format FORMAT=FILE, --output), baselines
 * and `k8scheck fix --write`.
 *
 * Only regular files are replaced. A symbolic link is followed and its
 * target replaced (the link stays a link); a character device, FIFO or
 * socket (/dev/null, /dev/stdout, a pipe) is written directly, never
 * replaced. A replaced file keeps its mode, owner and group. Temporary
 * files are removed on SIGINT and SIGTERM.
 */

#include <stdbool.h>
#include <stdio.h>

struct kc_atomic {
	const char *path;        /* the target as given (borrowed) */
	char *target;            /* the file replaced: path with symlinks resolved */
	char *tmp;               /* the temporary file; NULL when not open or direct */
	bool direct;             /* a device, FIFO or socket: written in place */
	FILE *f;                 /* write here; NULL when not open */
};

enum kc_atomic_flags {
	/* The file must exist and be a regular file (fix --write rewrites
	 * what it read); a file with several hard links is refused. */
	KC_ATOMIC_EXISTING = 1 << 0,
	/* With KC_ATOMIC_EXISTING, replace a file with several hard links
	 * anyway: this name gets the new text, the others keep the old. */
	KC_ATOMIC_HARD_LINKS = 1 << 1,
};

/**
 * Open path for writing (flags: enum kc_atomic_flags). A regular file (or
 * a new one) gets a temporary file beside its resolved target, created
 * with the existing file's mode, owner and group (a new file: 0666 less
 * the umask); a non-regular target is opened directly, without O_CREAT or
 * O_TRUNC. Refused: a directory, a read-only regular file (its mode, as
 * root ignores mode bits), an owner or group that cannot be kept, and with
 * KC_ATOMIC_EXISTING a missing or non-regular file or one with several
 * hard links. On failure prints `k8scheck: error: cannot write 'PATH':
 * REASON` to err, leaves nothing behind and returns false.
 */
bool kc_atomic_open_flags(struct kc_atomic *w, const char *path, unsigned flags,
	FILE *err);

/**
 * kc_atomic_open_flags() as before flags existed: mode >= 0 (the mode of
 * the file being replaced, which is now always kept) means
 * KC_ATOMIC_EXISTING, mode < 0 means no flags.
 */
bool kc_atomic_open(struct kc_atomic *w, const char *path, int mode, FILE *err);

/**
 * Flush, fsync and close the temporary file, rename it over the target and
 * fsync the directory (a direct target: flush and close). Returns false,
 * with the message on err, if any step failed: the target is then as it
 * was (or, when written directly, as far as the write got). The caller
 * must not report the file as written then.
 */
bool kc_atomic_commit(struct kc_atomic *w, FILE *err);

/** Drop the temporary file (an early exit). Accepts a closed or zeroed w. */
void kc_atomic_abandon(struct kc_atomic *w);

#endif
