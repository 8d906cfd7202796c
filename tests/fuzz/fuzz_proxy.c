/*
 * fuzz_proxy.c - --proxy's two parsers (lib/http/proxy.c): the input as a
 * proxy's answer head to CONNECT (cd_proxy_head_parse()), and as a
 * --proxy URL (cd_proxy_parse(), libcurl's URL API underneath).
 *
 * Invariants: an accepted head begins "HTTP/1.", its status is three
 * digits (100..999) and its reason is a terminated, display-safe string
 * (no control byte, valid UTF-8) however the buffer is cut; a refused
 * one says why.  An accepted URL has a host, a port above 0, a shown
 * form "http://HOST:PORT" that never holds the credentials, and
 * credentials only as "user:password".
 */
#include <stdio.h>

#include "escape.h"
#include "fuzz.h"
#include "proxy.h"

static void
check_head(const uint8_t *data, size_t size)
{
	char reason[64], tiny[4];
	struct cd_err err;
	int status = -1;
	size_t i;
	cd_rc rc;

	memset(&err, 0, sizeof(err));
	memset(reason, 0x55, sizeof(reason));
	rc = cd_proxy_head_parse((const char *)data, size, &status, reason,
	    sizeof(reason), &err);
	FUZZ_VERDICT(rc == CD_OK);
	if (rc != CD_OK) {
		FUZZ_ASSERT(rc == CD_E_PARSE || rc == CD_E_NOMEM);
		FUZZ_ASSERT(err.msg[0] != '\0');
		FUZZ_ASSERT(status == -1);
		return;
	}
	FUZZ_ASSERT(size >= 12 && memcmp(data, "HTTP/1.", 7) == 0);
	FUZZ_ASSERT(status >= 100 && status <= 999);
	FUZZ_ASSERT(fuzz_terminated(reason, sizeof(reason)));
	FUZZ_ASSERT(cd_utf8_valid(reason, strlen(reason)));
	for (i = 0; reason[i]; i++)
		FUZZ_ASSERT((unsigned char)reason[i] >= 0x20 &&
		    reason[i] != 0x7f);
	/* A short reason buffer truncates, terminated. */
	FUZZ_ASSERT(cd_proxy_head_parse((const char *)data, size, &status,
	    tiny, sizeof(tiny), NULL) == CD_OK);
	FUZZ_ASSERT(fuzz_terminated(tiny, sizeof(tiny)));
}

static void
check_url(const uint8_t *data, size_t size)
{
	struct cd_proxy *p = NULL;
	char *s, want[300];
	cd_rc rc;

	if ((s = fuzz_cstr(data, size)) == NULL)
		return;
	rc = cd_proxy_parse(s, &p, NULL);
	if (rc == CD_OK) {
		FUZZ_ASSERT(p->host != NULL && p->host[0] != '\0');
		FUZZ_ASSERT(p->port > 0);
		snprintf(want, sizeof(want), strchr(p->host, ':') ?
		    "http://[%s]:%u" : "http://%s:%u", p->host, p->port);
		FUZZ_ASSERT(strcmp(p->shown, want) == 0);
		FUZZ_ASSERT(p->auth == NULL || strchr(p->auth, ':') != NULL);
		cd_proxy_free(p);
	} else {
		FUZZ_ASSERT(rc == CD_E_USAGE || rc == CD_E_NOMEM ||
		    rc == CD_E_INTERNAL);
	}
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_url(data, size);
	check_head(data, size);
	return 0;
}
