/*
 * curl_dl.c - libcurl, loaded on first use.
 *
 * Only http01check and certcheck --crl speak HTTP, yet linking
 * libcurl-gnutls makes every start load some thirty shared objects
 * (ssh, kerberos, ldap, rtmp, ...): about half the wall time of a whole
 * certificate check, measured in bench/.  So the library does not link
 * it: the libcurl functions it calls are defined here and forward to the
 * real ones, resolved once with dlopen()/dlsym() (and curl_global_init()
 * run then) on the first call.  Which file to load is found by configure
 * from the libcurl the build was checked against.
 *
 * The loaded table is process-wide state, like GnuTLS's and c-ares's
 * global initialisation; pthread_once makes the first use thread-safe.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "curl_dl.h"

/* curl 8.3 made curl_url_get()'s handle const; configure tells which. */
#ifndef CD_CURLU_GET_CONST
#define CD_CURLU_GET_CONST
#endif

#ifndef CD_CURL_SONAME
#define CD_CURL_SONAME "libcurl-gnutls.so.4"
#endif

static struct {
	void *h;
	CURLcode (*global_init)(long);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	CURLcode (*easy_perform)(CURL *);
	void (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	void (*free)(void *);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	CURLU *(*url)(void);
	void (*url_cleanup)(CURLU *);
	CURLUcode (*url_get)(CD_CURLU_GET_CONST CURLU *, CURLUPart, char **,
	    unsigned int);
	CURLUcode (*url_set)(CURLU *, CURLUPart, const char *, unsigned int);
	bool ok;
	char why[256];
} api;

static pthread_once_t once = PTHREAD_ONCE_INIT;

/* dlsym into a function pointer, through a union (ISO C has no cast). */
static bool
sym(const char *name, void *slot, size_t size)
{
	union {
		void *obj;
		void (*fn)(void);
	} u;

	u.obj = dlsym(api.h, name);
	if (u.obj == NULL || size != sizeof(u.fn)) {
		snprintf(api.why, sizeof(api.why), "libcurl (%s): no %s",
		    CD_CURL_SONAME, name);
		return false;
	}
	memcpy(slot, &u.fn, size);
	return true;
}

#define SYM(field, name) sym(name, &api.field, sizeof(api.field))

static void
load(void)
{
	const char *e;

	if ((api.h = dlopen(CD_CURL_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		e = dlerror();
		snprintf(api.why, sizeof(api.why), "cannot load libcurl: %s",
		    e ? e : CD_CURL_SONAME);
		return;
	}
	if (!SYM(global_init, "curl_global_init") ||
	    !SYM(global_cleanup, "curl_global_cleanup") ||
	    !SYM(easy_init, "curl_easy_init") ||
	    !SYM(easy_setopt, "curl_easy_setopt") ||
	    !SYM(easy_getinfo, "curl_easy_getinfo") ||
	    !SYM(easy_perform, "curl_easy_perform") ||
	    !SYM(easy_cleanup, "curl_easy_cleanup") ||
	    !SYM(easy_strerror, "curl_easy_strerror") ||
	    !SYM(free, "curl_free") ||
	    !SYM(slist_append, "curl_slist_append") ||
	    !SYM(slist_free_all, "curl_slist_free_all") ||
	    !SYM(url, "curl_url") ||
	    !SYM(url_cleanup, "curl_url_cleanup") ||
	    !SYM(url_get, "curl_url_get") ||
	    !SYM(url_set, "curl_url_set"))
		return;
	if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(api.why, sizeof(api.why), "libcurl: init failed");
		return;
	}
	api.ok = true;
}

static bool
ready(void)
{
	pthread_once(&once, load);
	return api.ok;
}

cd_rc
cd_curl_ready(struct cd_err *err)
{
	if (ready())
		return CD_OK;
	return cd_err_set(err, CD_E_INTERNAL, "%s", api.why);
}

/* --- the stand-ins ------------------------------------------------ */

void
curl_global_cleanup(void)
{
	/* Only if loaded: a run that never spoke HTTP has nothing to undo. */
	if (api.ok)
		api.global_cleanup();
}

CURL *
curl_easy_init(void)
{
	return ready() ? api.easy_init() : NULL;
}

/*
 * The argument's type follows from the option's number, as libcurl
 * itself reads it (CURLOPTTYPE_*).
 */
CURLcode
curl_easy_setopt(CURL *c, CURLoption o, ...)
{
	va_list ap;
	CURLcode rc;

	if (!ready())
		return CURLE_FAILED_INIT;
	va_start(ap, o);
	if (o < CURLOPTTYPE_OBJECTPOINT)
		rc = api.easy_setopt(c, o, va_arg(ap, long));
	else if (o < CURLOPTTYPE_OFF_T)
		rc = api.easy_setopt(c, o, va_arg(ap, void *));
	else if (o < CURLOPTTYPE_BLOB)
		rc = api.easy_setopt(c, o, va_arg(ap, curl_off_t));
	else
		rc = api.easy_setopt(c, o, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

/* Every CURLINFO takes a pointer to where the answer goes. */
CURLcode
curl_easy_getinfo(CURL *c, CURLINFO i, ...)
{
	va_list ap;
	CURLcode rc;

	if (!ready())
		return CURLE_FAILED_INIT;
	va_start(ap, i);
	rc = api.easy_getinfo(c, i, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

CURLcode
curl_easy_perform(CURL *c)
{
	return ready() ? api.easy_perform(c) : CURLE_FAILED_INIT;
}

void
curl_easy_cleanup(CURL *c)
{
	if (api.ok)
		api.easy_cleanup(c);
}

const char *
curl_easy_strerror(CURLcode code)
{
	return ready() ? api.easy_strerror(code) : api.why;
}

void
curl_free(void *p)
{
	if (api.ok)
		api.free(p);
}

struct curl_slist *
curl_slist_append(struct curl_slist *l, const char *s)
{
	return ready() ? api.slist_append(l, s) : NULL;
}

void
curl_slist_free_all(struct curl_slist *l)
{
	if (api.ok)
		api.slist_free_all(l);
}

CURLU *
curl_url(void)
{
	return ready() ? api.url() : NULL;
}

void
curl_url_cleanup(CURLU *u)
{
	if (api.ok)
		api.url_cleanup(u);
}

CURLUcode
curl_url_get(CD_CURLU_GET_CONST CURLU *u, CURLUPart what, char **part,
    unsigned int flags)
{
	return ready() ? api.url_get(u, what, part, flags) :
	    CURLUE_OUT_OF_MEMORY;
}

CURLUcode
curl_url_set(CURLU *u, CURLUPart what, const char *part, unsigned int flags)
{
	return ready() ? api.url_set(u, what, part, flags) :
	    CURLUE_OUT_OF_MEMORY;
}
