/*
 * fuzz_persist.c - the dns-persist-01 record (lib/checks/dnspersist.c): the
 * input, cut at its first NUL, parsed as one record, and split at
 * newlines into a TXT set judged for a plain and a wildcard name.
 *
 * Invariants: a record that parses has a normalised issuer (letters,
 * digits, hyphens and dots, at most 253 octets, unchanged by normalising
 * again unless a dot still ends it), a non-empty accounturi and values of %x21-3A / %x3C-7E, and no
 * reason; one that does not has a reason and no accounturi.  The judge
 * says NO_TXT exactly for an empty set, has a message exactly when it
 * refuses, and accepts only when some record parses for the issuer and
 * passes the check on its own.  Times print as terminated RFC 3339.
 */
#include <stdio.h>

#include "dnspersist.h"
#include "fuzz.h"

#define ISSUER "letsencrypt.org"
#define ACCOUNT "https://acme-v02.api.letsencrypt.org/acme/acct/1"
#define NOW 1770000000LL
#define MAX_RECORDS 8

static void
check_value(const char *v)
{
	for (; *v; v++)
		FUZZ_ASSERT((*v >= 0x21 && *v <= 0x3a) ||
		    (*v >= 0x3c && *v <= 0x7e));
}

static void
fuzz_parse(const char *rec)
{
	struct cd_dnspersist p;
	char *again, when[40];
	const char *c;
	bool oom = false, ok;

	ok = cd_dnspersist_parse(rec, &p, &oom);
	FUZZ_VERDICT(ok);
	if (oom)
		goto out;
	if (p.issuer != NULL) {
		FUZZ_ASSERT(strlen(p.issuer) <= 253);
		for (c = p.issuer; *c; c++)
			FUZZ_ASSERT((*c >= 'a' && *c <= 'z') ||
			    (*c >= '0' && *c <= '9') || *c == '-' || *c == '.');
		/*
		 * "o.." is "o." to the CA (one dot trimmed, empty labels
		 * allowed, as Go's IDNA lookup does): only a name without a
		 * trailing dot is a fixed point.
		 */
		again = cd_dnspersist_issuer(p.issuer);
		FUZZ_ASSERT(again != NULL);
		if (*p.issuer == '\0' ||
		    p.issuer[strlen(p.issuer) - 1] != '.')
			FUZZ_ASSERT(strcmp(again, p.issuer) == 0);
		free(again);
	}
	if (ok) {
		FUZZ_ASSERT(p.issuer != NULL && p.why == NULL);
		FUZZ_ASSERT(p.account_uri != NULL && *p.account_uri != '\0');
		check_value(p.account_uri);
		if (p.policy)
			check_value(p.policy);
	} else {
		FUZZ_ASSERT(p.why != NULL && p.account_uri == NULL);
	}
	if (p.has_until) {
		memset(when, 0x55, sizeof(when));
		cd_dnspersist_rfc3339(p.until, when);
		FUZZ_ASSERT(fuzz_terminated(when, sizeof(when)));
	}
out:
	cd_dnspersist_clear(&p);
}

/* True when rec alone passes for the issuer, as the judge must agree. */
static bool
passes_alone(const char *rec, bool wildcard)
{
	struct cd_dnspersist p;
	char *msg = NULL;
	bool oom = false, ok;

	ok = cd_dnspersist_parse(rec, &p, &oom) &&
	    strcmp(p.issuer, ISSUER) == 0 &&
	    cd_dnspersist_check(&p, ACCOUNT, wildcard, NOW, &msg) ==
	    CD_DNSPERSIST_OK;
	free(msg);
	cd_dnspersist_clear(&p);
	return ok;
}

static void
fuzz_judge(char *s)
{
	char *recs[MAX_RECORDS], *nl;
	struct cd_dnspersist_result res;
	size_t n = 0, i;
	bool any, w;

	while (*s && n < MAX_RECORDS) {
		recs[n++] = s;
		if ((nl = strchr(s, '\n')) == NULL)
			break;
		*nl = '\0';
		s = nl + 1;
	}
	for (w = false;; w = true) {
		if (!cd_dnspersist_judge(recs, n, ISSUER, ACCOUNT, w, NOW,
		    &res))
			return;
		FUZZ_ASSERT((res.verdict == CD_DNSPERSIST_NO_TXT) == (n == 0));
		FUZZ_ASSERT((res.verdict == CD_DNSPERSIST_VALID) ==
		    (res.message == NULL));
		for (any = false, i = 0; i < n; i++)
			any = any || passes_alone(recs[i], w);
		FUZZ_ASSERT(any == (res.verdict == CD_DNSPERSIST_VALID));
		FUZZ_ASSERT(res.records <= n);
		cd_dnspersist_result_clear(&res);
		if (w)
			break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if ((s = fuzz_cstr(data, size)) == NULL)
		return 0;
	fuzz_parse(s);
	fuzz_judge(s);
	free(s);
	return 0;
}
