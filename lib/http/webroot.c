/*
 * webroot.c - token files for the http-01 self-test.  Every step works
 * relative to directory descriptors opened with O_NOFOLLOW, so a symbolic
 * link swapped in along the way cannot redirect the write.
 *
 * The checks of a batch run in parallel and share one web root: its
 * .well-known/acme-challenge is made by the first token that needs it
 * and removed with the last one, under one lock, so no check ever sees
 * another's half-made or half-removed directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "webroot.h"

/* One web root in use: its directories and the tokens written there. */
struct root {
	struct root *next;
	dev_t dev;
	ino_t ino;
	int fd;			/* the web root */
	int wk;			/* .well-known */
	int ac;			/* acme-challenge */
	bool made_wk;
	bool made_ac;
	struct cd_webroot *tokens;
};

struct cd_webroot {
	struct cd_webroot *next;	/* in its root's list */
	struct root *root;
	bool made_file;
	char token[256];
};

/* Guards every root, its directories on disk, and its token list. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct root *roots;

/*
 * Mode 0755 for the directory we just made, held by pfd (O_PATH).  The
 * umask may have left it without owner read (0477 gives 0300), so it
 * cannot be opened for fchmod(); an O_PATH descriptor needs no access
 * at all, and its /proc/self/fd link names this very inode, so no
 * directory swapped in under the name can be changed instead.
 */
static void
dir_mode(int pfd)
{
	char path[64];
	struct stat st;

	if (fstat(pfd, &st) != 0 || (st.st_mode & 07777) == 0755)
		return;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", pfd);
	chmod(path, 0755);
}

/* Open (or create) dir name under parent without following links. */
static cd_rc
subdir(int parent, const char *name, const char *shown, int *fd, bool *made,
    struct cd_err *err)
{
	struct stat st;
	int pfd, e;

	*made = false;
	*fd = -1;
	if (mkdirat(parent, name, 0755) == 0)
		*made = true;
	else if (errno != EEXIST)
		return cd_err_set(err, CD_E_IO, "%s: cannot create: %s",
		    shown, strerror(errno));
	/* EEXIST: someone else's directory, usable if it is a real one. */
	if (!*made && fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode))
			return cd_err_set(err, CD_E_USAGE, "%s is a symbolic "
			    "link: refusing to write through it", shown);
		if (!S_ISDIR(st.st_mode))
			return cd_err_set(err, CD_E_USAGE, "%s is not a "
			    "directory", shown);
	}
	pfd = openat(parent, name, O_PATH | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	/* O_DIRECTORY | O_NOFOLLOW: a real directory, whatever is at the
	 * name now; from here on only the descriptor is used. */
	if (pfd >= 0 && *made)
		dir_mode(pfd);
	if (pfd >= 0) {
		*fd = openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		e = errno;
		close(pfd);
		errno = e;
	}
	if (*fd < 0) {
		e = errno;
		if (*made)
			unlinkat(parent, name, AT_REMOVEDIR);
		*made = false;
		return cd_err_set(err, e == ELOOP || e == ENOTDIR ?
		    CD_E_USAGE : CD_E_IO, "%s: %s", shown, strerror(e));
	}
	/* Without /proc, the mode is set here (when the umask allowed us
	 * to open the directory at all). */
	if (*made)
		fchmod(*fd, 0755);
	return CD_OK;
}

static cd_rc
write_all(int fd, const char *s, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, s, n)) < 0) {
			if (errno == EINTR)
				continue;
			return CD_E_IO;
		}
		s += w;
		n -= (size_t)w;
	}
	return CD_OK;
}

/* Remove the directories r made (if still there); close them. */
static void
root_close(struct root *r)
{
	if (r->made_ac)
		unlinkat(r->wk, "acme-challenge", AT_REMOVEDIR);
	if (r->made_wk)
		unlinkat(r->fd, ".well-known", AT_REMOVEDIR);
	r->made_ac = r->made_wk = false;
	if (r->ac >= 0)
		close(r->ac);
	if (r->wk >= 0)
		close(r->wk);
	if (r->fd >= 0)
		close(r->fd);
	free(r);
}

/* The last token of r is gone: take r off the list and close it. */
static void
root_release(struct root *r)
{
	struct root **pp;

	if (r->tokens != NULL)
		return;
	for (pp = &roots; *pp != NULL; pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	root_close(r);
}

/* The root at path, shared when another check already uses it. */
static cd_rc
root_get(const char *path, struct root **out, struct cd_err *err)
{
	struct root *r;
	struct stat st;
	int fd;
	cd_rc rc;

	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return cd_err_set(err, errno == ENOTDIR ? CD_E_USAGE :
		    CD_E_IO, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0) {
		rc = cd_err_set(err, CD_E_IO, "%s: %s", path, strerror(errno));
		close(fd);
		return rc;
	}
	for (r = roots; r != NULL; r = r->next)
		if (r->dev == st.st_dev && r->ino == st.st_ino) {
			close(fd);
			*out = r;
			return CD_OK;
		}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		close(fd);
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	r->dev = st.st_dev;
	r->ino = st.st_ino;
	r->fd = fd;
	r->wk = r->ac = -1;
	if ((rc = subdir(r->fd, ".well-known", "webroot/.well-known", &r->wk,
	    &r->made_wk, err)) != CD_OK ||
	    (rc = subdir(r->wk, "acme-challenge",
	    "webroot/.well-known/acme-challenge", &r->ac, &r->made_ac,
	    err)) != CD_OK) {
		root_close(r);
		return rc;
	}
	r->next = roots;
	roots = r;
	*out = r;
	return CD_OK;
}

/* The token file itself, in r's acme-challenge; mu is held. */
static cd_rc
token_put(struct root *r, struct cd_webroot *w, const char *content,
    struct cd_err *err)
{
	int fd;
	cd_rc rc;

	fd = openat(r->ac, w->token, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0644);
	if (fd < 0)
		return cd_err_set(err, CD_E_IO, "acme-challenge/%s: %s",
		    w->token, errno == EEXIST ?
		    "already exists (not overwritten)" : strerror(errno));
	w->made_file = true;
	fchmod(fd, 0644);
	rc = write_all(fd, content, strlen(content));
	if (close(fd) != 0 || rc != CD_OK)
		return cd_err_set(err, CD_E_IO, "acme-challenge/%s: write "
		    "failed", w->token);
	return CD_OK;
}

cd_rc
cd_webroot_put(const char *root, const char *token, const char *content,
    struct cd_webroot **out, struct cd_err *err)
{
	struct cd_webroot *w;
	struct root *r = NULL;
	cd_rc rc;

	if (strlen(token) >= sizeof(w->token) || strchr(token, '/') ||
	    token[0] == '.' || token[0] == '\0')
		return cd_err_set(err, CD_E_USAGE, "bad token '%s'", token);
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	strcpy(w->token, token);
	pthread_mutex_lock(&mu);
	/* Checked under the lock: once cd_cancel_cleanup() has run, nothing
	 * new appears on disk. */
	if (cd_cancelled())
		rc = cd_err_set(err, CD_E_CANCELLED, "cancelled");
	else
		rc = root_get(root, &r, err);
	if (rc != CD_OK) {
		pthread_mutex_unlock(&mu);
		free(w);
		return rc;
	}
	w->root = r;
	w->next = r->tokens;
	r->tokens = w;
	rc = token_put(r, w, content, err);
	pthread_mutex_unlock(&mu);
	if (rc != CD_OK) {
		cd_webroot_remove(w);
		return rc;
	}
	*out = w;
	return CD_OK;
}

void
cd_webroot_remove(struct cd_webroot *w)
{
	struct cd_webroot **pp;
	struct root *r;

	if (w == NULL)
		return;
	pthread_mutex_lock(&mu);
	r = w->root;
	if (w->made_file)
		unlinkat(r->ac, w->token, 0);
	for (pp = &r->tokens; *pp != NULL; pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	root_release(r);
	pthread_mutex_unlock(&mu);
	free(w);
}

void
cd_webroot_remove_all(void)
{
	struct cd_webroot *w;
	struct root *r;

	pthread_mutex_lock(&mu);
	for (r = roots; r != NULL; r = r->next) {
		for (w = r->tokens; w != NULL; w = w->next)
			if (w->made_file) {
				unlinkat(r->ac, w->token, 0);
				w->made_file = false;
			}
		if (r->made_ac)
			unlinkat(r->wk, "acme-challenge", AT_REMOVEDIR);
		if (r->made_wk)
			unlinkat(r->fd, ".well-known", AT_REMOVEDIR);
		r->made_ac = r->made_wk = false;
	}
	pthread_mutex_unlock(&mu);
}

/* The public face of cd_webroot_remove_all(), for a cancelled run. */
void
cd_cancel_cleanup(void)
{
	cd_webroot_remove_all();
}
