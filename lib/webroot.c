/*
 * webroot.c - token files for the http-01 self-test.  Every step works
 * relative to directory descriptors opened with O_NOFOLLOW, so a symbolic
 * link swapped in along the way cannot redirect the write.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "webroot.h"

struct cd_webroot {
	int root;		/* the web root */
	int wk;			/* .well-known */
	int ac;			/* acme-challenge */
	bool made_wk;
	bool made_ac;
	bool made_file;
	char token[256];
};

/* Open (or create) dir name under parent without following links. */
static cd_rc
subdir(int parent, const char *name, const char *shown, int *fd, bool *made,
    struct cd_err *err)
{
	struct stat st;

	*made = false;
	if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode))
			return cd_err_set(err, CD_E_USAGE, "%s is a symbolic "
			    "link: refusing to write through it", shown);
		if (!S_ISDIR(st.st_mode))
			return cd_err_set(err, CD_E_USAGE, "%s is not a "
			    "directory", shown);
	} else if (errno == ENOENT) {
		if (mkdirat(parent, name, 0755) != 0)
			return cd_err_set(err, CD_E_IO, "%s: cannot create: %s",
			    shown, strerror(errno));
		*made = true;
	} else {
		return cd_err_set(err, CD_E_IO, "%s: %s", shown,
		    strerror(errno));
	}
	*fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (*fd < 0) {
		if (*made)
			unlinkat(parent, name, AT_REMOVEDIR);
		*made = false;
		return cd_err_set(err, errno == ELOOP || errno == ENOTDIR ?
		    CD_E_USAGE : CD_E_IO, "%s: %s", shown, strerror(errno));
	}
	/* Readable by the web server whatever our umask. */
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

cd_rc
cd_webroot_put(const char *root, const char *token, const char *content,
    struct cd_webroot **out, struct cd_err *err)
{
	struct cd_webroot *w;
	int fd;
	cd_rc rc;

	if (strlen(token) >= sizeof(w->token) || strchr(token, '/') ||
	    token[0] == '.' || token[0] == '\0')
		return cd_err_set(err, CD_E_USAGE, "bad token '%s'", token);
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	w->root = w->wk = w->ac = -1;
	strcpy(w->token, token);
	if ((w->root = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		rc = cd_err_set(err, errno == ENOTDIR ? CD_E_USAGE : CD_E_IO,
		    "%s: %s", root, strerror(errno));
		goto fail;
	}
	if ((rc = subdir(w->root, ".well-known", "webroot/.well-known",
	    &w->wk, &w->made_wk, err)) != CD_OK ||
	    (rc = subdir(w->wk, "acme-challenge",
	    "webroot/.well-known/acme-challenge", &w->ac, &w->made_ac,
	    err)) != CD_OK)
		goto fail;
	fd = openat(w->ac, token, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = cd_err_set(err, CD_E_IO, "acme-challenge/%s: %s", token,
		    errno == EEXIST ? "already exists (not overwritten)" :
		    strerror(errno));
		goto fail;
	}
	w->made_file = true;
	fchmod(fd, 0644);
	rc = write_all(fd, content, strlen(content));
	if (close(fd) != 0 || rc != CD_OK) {
		rc = cd_err_set(err, CD_E_IO, "acme-challenge/%s: write "
		    "failed", token);
		goto fail;
	}
	*out = w;
	return CD_OK;
fail:
	cd_webroot_remove(w);
	return rc;
}

void
cd_webroot_remove(struct cd_webroot *w)
{
	if (w == NULL)
		return;
	if (w->made_file)
		unlinkat(w->ac, w->token, 0);
	if (w->made_ac)
		unlinkat(w->wk, "acme-challenge", AT_REMOVEDIR);
	if (w->made_wk)
		unlinkat(w->root, ".well-known", AT_REMOVEDIR);
	if (w->ac >= 0)
		close(w->ac);
	if (w->wk >= 0)
		close(w->wk);
	if (w->root >= 0)
		close(w->root);
	free(w);
}
