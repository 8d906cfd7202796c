/*
 * certfiles.c - what certcheck --cert DIR checks: every certificate file
 * under DIR, where a certbot live/NAME directory counts once, by its
 * fullchain.pem (the chain its server sends).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cd_internal.h"
#include "err.h"

/* Symbolic links may loop; real trees are shallow. */
#define CD_CERTFILES_DEPTH 8

struct list {
	char **v;
	size_t n;
};

static cd_rc
add(struct list *l, const char *dir, const char *name, struct cd_err *err)
{
	char **v, *p;
	size_t len = strlen(dir) + (name ? strlen(name) + 2 : 1);

	if ((p = malloc(len)) == NULL ||
	    (v = realloc(l->v, (l->n + 1) * sizeof(*v))) == NULL) {
		free(p);
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	}
	if (name != NULL)
		snprintf(p, len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ?
		    "" : "/", name);
	else
		snprintf(p, len, "%s", dir);
	l->v = v;
	l->v[l->n++] = p;
	return CD_OK;
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

/* A certificate file by its name; a private key is not one. */
static bool
cert_name(const char *name)
{
	static const char *const ext[] = {".pem", ".crt", ".cer", ".der",
	    ".p12", ".pfx", NULL};
	size_t i;

	if (ends_with(name, "key.pem"))
		return false;
	for (i = 0; ext[i]; i++)
		if (ends_with(name, ext[i]))
			return true;
	return false;
}

static cd_rc walk(struct list *l, const char *dir, int depth,
    struct cd_err *err);

static cd_rc
entry(struct list *l, const char *dir, const char *name, int depth,
    struct cd_err *err)
{
	struct stat st;
	char *p;
	size_t len = strlen(dir) + strlen(name) + 2;
	cd_rc rc = CD_OK;

	if ((p = malloc(len)) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	snprintf(p, len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" :
	    "/", name);
	/* A dangling link or an unreadable entry: its check says why. */
	if (stat(p, &st) != 0)
		rc = cert_name(name) ? add(l, p, NULL, err) : CD_OK;
	else if (S_ISDIR(st.st_mode) && depth < CD_CERTFILES_DEPTH)
		rc = walk(l, p, depth + 1, err);
	else if (S_ISREG(st.st_mode) && cert_name(name))
		rc = add(l, p, NULL, err);
	free(p);
	return rc;
}

static cd_rc
walk(struct list *l, const char *dir, int depth, struct cd_err *err)
{
	struct dirent **ents = NULL;
	struct stat st;
	char *full;
	size_t len = strlen(dir) + sizeof("/fullchain.pem");
	int n, i;
	cd_rc rc = CD_OK;

	if ((full = malloc(len)) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	snprintf(full, len, "%s%sfullchain.pem", dir,
	    dir[strlen(dir) - 1] == '/' ? "" : "/");
	/* certbot's live/NAME: cert.pem and chain.pem are parts of it. */
	if (stat(full, &st) == 0 && S_ISREG(st.st_mode)) {
		rc = add(l, full, NULL, err);
		free(full);
		return rc;
	}
	free(full);
	/* An unreadable directory is checked as itself: the check says so. */
	if ((n = scandir(dir, &ents, NULL, alphasort)) < 0)
		return add(l, dir, NULL, err);
	for (i = 0; i < n; i++) {
		if (rc == CD_OK && ents[i]->d_name[0] != '.')
			rc = entry(l, dir, ents[i]->d_name, depth, err);
		free(ents[i]);
	}
	free(ents);
	return rc;
}

cd_rc
cd_certfiles_list(const char *path, char ***out, size_t *n,
    struct cd_err *err)
{
	struct list l = {NULL, 0};
	struct stat st;
	size_t i, before;
	cd_rc rc;

	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		rc = add(&l, path, NULL, err);
	} else {
		rc = walk(&l, path, 0, err);
		/* No certificate under it: the directory's check says so. */
		before = l.n;
		if (rc == CD_OK && before == 0)
			rc = add(&l, path, NULL, err);
	}
	if (rc != CD_OK) {
		for (i = 0; i < l.n; i++)
			free(l.v[i]);
		free(l.v);
		return rc;
	}
	*out = l.v;
	*n = l.n;
	return CD_OK;
}
